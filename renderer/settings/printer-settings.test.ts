import { describe, expect, it } from 'vitest';
import {
  claimAutoPrint,
  claimPrintRequest,
  loadPrinterChoice,
  requestPrint,
  savePrinterChoice,
} from './printer-settings.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the printer choice kept on the terminal', () => {
  it('refuses to save a printer address that is a URL, or a port out of range', () => {
    const storage = memoryStorage();
    for (const bad of [
      { kind: 'network', host: 'http://192.168.1.50', port: 9100, columns: 48 },
      { kind: 'network', host: '192.168.1.50', port: 0, columns: 48 },
      { kind: 'network', host: '192.168.1.50', port: 9100, columns: 40 },
      { kind: 'installed', printerName: '' },
    ]) {
      expect(() => savePrinterChoice(bad as never, storage)).toThrow();
    }
    expect(storage.items.size).toBe(0);
  });

  it('reads a damaged or unknown stored value as no printer, never as a crash', () => {
    const storage = memoryStorage();
    storage.setItem('entitle.receipt-printer', '{not json');
    expect(loadPrinterChoice(storage)).toEqual({ kind: 'none' });
    storage.setItem('entitle.receipt-printer', JSON.stringify({ kind: 'fax' }));
    expect(loadPrinterChoice(storage)).toEqual({ kind: 'none' });
  });

  it('keeps what was saved', () => {
    const storage = memoryStorage();
    expect(loadPrinterChoice(storage)).toEqual({ kind: 'none' });
    const choice = { kind: 'network', host: 'printer.lan', port: 9100, columns: 32 } as const;
    savePrinterChoice(choice, storage);
    expect(loadPrinterChoice(storage)).toEqual(choice);
  });
});

describe('printing by itself happens once per sale', () => {
  it('claims the auto-print of a sale once', () => {
    const storage = memoryStorage();
    expect(claimAutoPrint('sale-1', storage)).toBe(true);
    expect(claimAutoPrint('sale-1', storage)).toBe(false);
    expect(claimAutoPrint('sale-2', storage)).toBe(true);
  });

  it('a reprint request is for one sale and is used once', () => {
    const storage = memoryStorage();
    requestPrint('sale-1', storage);
    expect(claimPrintRequest('sale-2', storage)).toBe(false);
    expect(claimPrintRequest('sale-1', storage)).toBe(true);
    expect(claimPrintRequest('sale-1', storage)).toBe(false);
  });
});
