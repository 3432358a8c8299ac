import type { EntitleBridge, PrintResult } from '../../electron/bridge-contract.ts';
import { encodeReceiptEscPos, encodeTestPageEscPos } from '../../shared/receipt/escpos.ts';
import { describePrinterChoice, type PrinterChoice } from '../../shared/receipt/printer-choice.ts';
import type { Receipt } from '../../shared/receipt/receipt-model.ts';

type PrintBridge = Pick<EntitleBridge, 'printReceipt' | 'printEscPos'>;

/**
 * Prints a receipt on the chosen printer: ESC/POS bytes for a network thermal printer, or the
 * receipt page itself (print CSS makes it 80 mm wide) for an installed printer or the dialog.
 * The drawer opens only for a fresh cash sale on a thermal printer.
 */
export function printReceiptOn(
  choice: PrinterChoice,
  receipt: Receipt,
  bridge: PrintBridge,
  options: { openDrawer: boolean; desktop: boolean },
): Promise<PrintResult> {
  return printPageOn(
    choice,
    (columns) => encodeReceiptEscPos(receipt, { columns, openDrawer: options.openDrawer }),
    bridge,
    options,
  );
}

/**
 * Prints what the screen shows, on the chosen printer: the thermal printer gets the page as
 * ESC/POS bytes (encoded for its paper width), any other printer the page itself. Receipts and
 * the X/Z shift reports both print through here.
 */
export function printPageOn(
  choice: PrinterChoice,
  escPos: (columns: 48 | 32) => Uint8Array,
  bridge: PrintBridge,
  options: { desktop: boolean },
): Promise<PrintResult> {
  switch (choice.kind) {
    case 'network':
      return bridge.printEscPos({
        host: choice.host,
        port: choice.port,
        bytes: escPos(choice.columns),
      });
    case 'installed':
      return bridge.printReceipt({ mode: 'silent', printerName: choice.printerName });
    case 'dialog':
      return bridge.printReceipt({ mode: 'dialog' });
    case 'none':
      // Nothing chosen: what the Print button always did (desktop default printer, else dialog).
      return bridge.printReceipt(options.desktop ? { mode: 'silent' } : { mode: 'dialog' });
  }
}

/** Settings' "Print test page": a short ESC/POS page, or the current page on other printers. */
export function printTestPage(
  choice: PrinterChoice,
  storeName: string,
  bridge: PrintBridge,
): Promise<PrintResult> {
  switch (choice.kind) {
    case 'network':
      return bridge.printEscPos({
        host: choice.host,
        port: choice.port,
        bytes: encodeTestPageEscPos({
          storeName,
          printer: describePrinterChoice(choice),
          columns: choice.columns,
        }),
      });
    case 'installed':
      return bridge.printReceipt({ mode: 'silent', printerName: choice.printerName });
    case 'dialog':
    case 'none':
      return bridge.printReceipt({ mode: 'dialog' });
  }
}
