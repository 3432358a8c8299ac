import { useSyncExternalStore } from 'react';
import { PrinterChoice } from '../../shared/receipt/printer-choice.ts';

/**
 * The receipt printer is a fact about this device, not about the store: it is kept in the
 * terminal's localStorage (not an RxDB collection, and never synced). A stored value that no
 * longer parses counts as "no printer chosen" rather than breaking the till.
 */
const KEY = 'entitle.receipt-printer';
const AUTO_PRINTED_KEY = 'entitle.auto-printed';
const NONE: PrinterChoice = { kind: 'none' };

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadPrinterChoice(storage: KeyValueStore = localStorage): PrinterChoice {
  const stored = storage.getItem(KEY);
  if (stored === null) return NONE;
  try {
    const parsed = PrinterChoice.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : NONE;
  } catch {
    return NONE;
  }
}

const listeners = new Set<() => void>();

export function savePrinterChoice(choice: PrinterChoice, storage: KeyValueStore = localStorage) {
  storage.setItem(KEY, JSON.stringify(PrinterChoice.parse(choice)));
  for (const listener of listeners) listener();
}

let cached: { raw: string | null; choice: PrinterChoice } = { raw: null, choice: NONE };

/** The current choice, re-rendering when Settings saves a new one. */
export function usePrinterChoice(): PrinterChoice {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => {
      const raw = localStorage.getItem(KEY);
      if (raw !== cached.raw) cached = { raw, choice: loadPrinterChoice() };
      return cached.choice;
    },
  );
}

/**
 * True the first time it is asked for a sale: a fresh receipt prints by itself once, not again
 * when the screen re-renders or the tab reloads (reprints are the cashier's choice).
 */
export function claimAutoPrint(saleId: string, storage: KeyValueStore = sessionStorage): boolean {
  const done = new Set<string>(JSON.parse(storage.getItem(AUTO_PRINTED_KEY) ?? '[]') as string[]);
  if (done.has(saleId)) return false;
  done.add(saleId);
  storage.setItem(AUTO_PRINTED_KEY, JSON.stringify([...done].slice(-50)));
  return true;
}

const PRINT_REQUEST_KEY = 'entitle.print-request';

/** Sales → Reprint: the receipt screen prints the sale once it has opened it. */
export function requestPrint(saleId: string, storage: KeyValueStore = sessionStorage): void {
  storage.setItem(PRINT_REQUEST_KEY, saleId);
}

/** True once if a reprint of this sale was asked for. */
export function claimPrintRequest(
  saleId: string,
  storage: KeyValueStore = sessionStorage,
): boolean {
  if (storage.getItem(PRINT_REQUEST_KEY) !== saleId) return false;
  storage.removeItem(PRINT_REQUEST_KEY);
  return true;
}
