import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrinting, sanitiseFileName, type PrintingFs, type PrintTarget } from './printing.ts';

const USER_DATA = path.resolve('/home/till/.config/Entitle POS');
const PDF_BYTES = new Uint8Array([0x25, 0x50, 0x44, 0x46]);

type PrintCall = { silent: boolean; deviceName?: string; printBackground: boolean };

function fakeTarget(outcome: { success: boolean; reason?: string } = { success: true }) {
  const prints: PrintCall[] = [];
  const target: PrintTarget = {
    print(options, callback) {
      prints.push(options);
      callback(outcome.success, outcome.reason ?? '');
    },
    printToPDF: () => Promise.resolve(PDF_BYTES),
    getPrintersAsync: () => Promise.resolve([{ name: 'EPSON_TM_T20III' }, { name: 'Office' }]),
  };
  return { target, prints };
}

function memoryFs(failWrite?: Error) {
  const files = new Map<string, Uint8Array>();
  const dirs: string[] = [];
  const fs: PrintingFs = {
    mkdir: (dir) => {
      dirs.push(dir);
      return Promise.resolve(undefined);
    },
    writeFile: (file, data) => {
      if (failWrite) return Promise.reject(failWrite);
      files.set(file, data);
      return Promise.resolve();
    },
  };
  return { fs, files, dirs };
}

describe('sanitiseFileName', () => {
  it.each([
    ['receipt-2025-01-02_0042', 'receipt-2025-01-02_0042'],
    ['Receipt 42.pdf', 'Receipt-42'],
    ['../../etc/passwd', 'etc-passwd'],
    ['..\\..\\Windows\\win.ini', 'Windows-win-ini'],
    ['/absolute/path', 'absolute-path'],
    ['C:\\Users\\till\\receipt', 'C-Users-till-receipt'],
    ['.hidden', 'hidden'],
    ['reçu n°7', 're-u-n-7'],
    ['', 'receipt'],
    ['...', 'receipt'],
    ['x'.repeat(200), 'x'.repeat(80)],
  ])('%j → %j', (input, expected) => {
    const safe = sanitiseFileName(input);
    expect(safe).toBe(expected);
    expect(safe).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});

describe('printReceipt', () => {
  it('prints silently to the named printer', async () => {
    const { target, prints } = fakeTarget();
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    const result = await printing.printReceipt(target, {
      mode: 'silent',
      printerName: 'EPSON_TM_T20III',
    });
    expect(result).toEqual({ ok: true });
    expect(prints).toEqual([
      { silent: true, deviceName: 'EPSON_TM_T20III', printBackground: true },
    ]);
  });

  it('prints silently to the default printer when no name is given', async () => {
    const { target, prints } = fakeTarget();
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    expect(await printing.printReceipt(target, { mode: 'silent' })).toEqual({ ok: true });
    expect(prints).toEqual([{ silent: true, printBackground: true }]);
    expect(prints[0]).not.toHaveProperty('deviceName');
  });

  it('turns a printer failure into a message the cashier can act on', async () => {
    const { target } = fakeTarget({ success: false, reason: 'Invalid deviceName provided' });
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    const result = await printing.printReceipt(target, { mode: 'silent', printerName: 'Till' });
    expect(result).toEqual({
      ok: false,
      message:
        'The printer Till did not accept the receipt: Invalid deviceName provided. ' +
        'Check it is on and has paper, then press Print again.',
    });
  });

  it('says something even when Electron gives no reason', async () => {
    const { target } = fakeTarget({ success: false });
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    const result = await printing.printReceipt(target, { mode: 'silent' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^The default printer did not accept the receipt: no reason given\. /,
    );
  });

  it('shows the system dialog, and reports a cancel as a cancel', async () => {
    const ok = fakeTarget();
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    expect(await printing.printReceipt(ok.target, { mode: 'dialog' })).toEqual({ ok: true });
    expect(ok.prints).toEqual([{ silent: false, printBackground: true }]);
    const cancelled = fakeTarget({ success: false, reason: 'cancelled' });
    expect(await printing.printReceipt(cancelled.target, { mode: 'dialog' })).toEqual({
      ok: false,
      message: 'Printing was cancelled; nothing was printed.',
    });
  });

  it('saves a PDF under <userData>/receipts with a sanitised name', async () => {
    const { target } = fakeTarget();
    const disk = memoryFs();
    const printing = createPrinting({ userDataPath: USER_DATA, fs: disk.fs });
    const result = await printing.printReceipt(target, {
      mode: 'pdf',
      fileName: '../../../etc/Receipt #42',
    });
    const expected = path.join(USER_DATA, 'receipts', 'etc-Receipt-42.pdf');
    expect(result).toEqual({ ok: true, pdfPath: expected });
    expect(disk.dirs).toEqual([path.join(USER_DATA, 'receipts')]);
    expect([...disk.files.keys()]).toEqual([expected]);
    expect(disk.files.get(expected)).toEqual(PDF_BYTES);
  });

  it('reports a PDF that could not be written', async () => {
    const { target } = fakeTarget();
    const disk = memoryFs(new Error('ENOSPC: no space left on device'));
    const printing = createPrinting({ userDataPath: USER_DATA, fs: disk.fs });
    const result = await printing.printReceipt(target, { mode: 'pdf', fileName: 'r1' });
    expect(result).toEqual({
      ok: false,
      message:
        'The receipt could not be saved as a PDF: ENOSPC: no space left on device. ' +
        'Check the disk has free space, then press Save again.',
    });
  });
});

describe('listPrinters', () => {
  it("lists the OS's printers by the name print() expects", async () => {
    const printing = createPrinting({ userDataPath: USER_DATA, fs: memoryFs().fs });
    expect(await printing.listPrinters(fakeTarget().target)).toEqual([
      { name: 'EPSON_TM_T20III', isDefault: false },
      { name: 'Office', isDefault: false },
    ]);
  });
});
