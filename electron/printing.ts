import path from 'node:path';
import type { PrinterInfo, PrintRequest, PrintResult } from './bridge-contract.ts';
import { describeError } from './logger.ts';

/** The parts of Electron's WebContents used for printing: the sender's own page is printed. */
export interface PrintTarget {
  print(
    options: { silent: boolean; deviceName?: string; printBackground: boolean },
    callback: (success: boolean, failureReason: string) => void,
  ): void;
  printToPDF(options: { printBackground: boolean }): Promise<Uint8Array>;
  getPrintersAsync(): Promise<{ name: string }[]>;
}

export interface PrintingFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

export type PrintingDeps = {
  /** Electron's app.getPath('userData'); PDFs go to <userData>/receipts. */
  readonly userDataPath: string;
  readonly fs: PrintingFs;
};

export type Printing = {
  listPrinters(target: PrintTarget): Promise<PrinterInfo[]>;
  printReceipt(target: PrintTarget, request: PrintRequest): Promise<PrintResult>;
};

const MAX_FILE_NAME = 80;

/** Letters, digits, '-' and '_' only, at most 80 of them: never a path, never hidden. */
export function sanitiseFileName(fileName: string): string {
  const safe = fileName
    .replace(/\.pdf$/i, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_FILE_NAME);
  return safe === '' ? 'receipt' : safe;
}

function printOnce(
  target: PrintTarget,
  options: { silent: boolean; deviceName?: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    target.print({ ...options, printBackground: true }, (success, failureReason) => {
      resolve(success ? { ok: true } : { ok: false, reason: failureReason || 'no reason given' });
    });
  });
}

export function createPrinting(deps: PrintingDeps): Printing {
  const receiptsDir = path.join(deps.userDataPath, 'receipts');

  const silent = async (target: PrintTarget, printerName?: string): Promise<PrintResult> => {
    const outcome = await printOnce(
      target,
      printerName === undefined ? { silent: true } : { silent: true, deviceName: printerName },
    );
    if (outcome.ok) return { ok: true };
    const printer =
      printerName === undefined ? 'The default printer' : `The printer ${printerName}`;
    return {
      ok: false,
      message:
        `${printer} did not accept the receipt: ${outcome.reason}. ` +
        'Check it is on and has paper, then press Print again.',
    };
  };

  const dialog = async (target: PrintTarget): Promise<PrintResult> => {
    const outcome = await printOnce(target, { silent: false });
    if (outcome.ok) return { ok: true };
    if (outcome.reason === 'cancelled') {
      return { ok: false, message: 'Printing was cancelled; nothing was printed.' };
    }
    return {
      ok: false,
      message:
        `The receipt was not printed: ${outcome.reason}. ` +
        'Check the printer is on and has paper, then press Print again.',
    };
  };

  const pdf = async (target: PrintTarget, fileName: string): Promise<PrintResult> => {
    const pdfPath = path.join(receiptsDir, `${sanitiseFileName(fileName)}.pdf`);
    try {
      const bytes = await target.printToPDF({ printBackground: true });
      await deps.fs.mkdir(receiptsDir, { recursive: true });
      await deps.fs.writeFile(pdfPath, bytes);
    } catch (error) {
      return {
        ok: false,
        message:
          `The receipt could not be saved as a PDF: ${describeError(error)}. ` +
          'Check the disk has free space, then press Save again.',
      };
    }
    return { ok: true, pdfPath };
  };

  return {
    async listPrinters(target) {
      const printers = await target.getPrintersAsync();
      // Electron 36 removed PrinterInfo.isDefault (Chromium no longer reports it), so no
      // printer can be marked default; a silent print without a name goes to the OS default.
      return printers.map((printer) => ({ name: printer.name, isDefault: false }));
    },
    printReceipt(target, request) {
      switch (request.mode) {
        case 'silent':
          return silent(target, request.printerName);
        case 'dialog':
          return dialog(target);
        case 'pdf':
          return pdf(target, request.fileName);
      }
    },
  };
}
