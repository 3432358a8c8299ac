import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { ShiftReportSheet } from '../shift/shift-report-sheet.ts';
import { DEFAULT_COLUMNS, formatReceiptInstant, printable, twoColumns } from './escpos.ts';

/**
 * An X- or Z-report as ESC/POS bytes: the same sheet the screen shows, laid out like a receipt
 * (shared/receipt/escpos.ts) on the same thermal printer, with a cut and never a drawer pulse.
 */
export function encodeShiftReportEscPos(
  sheet: ShiftReportSheet,
  options: { readonly columns?: number; readonly formatInstant?: (iso: string) => string } = {},
): Uint8Array {
  const columns = options.columns ?? DEFAULT_COLUMNS;
  const when = (iso: string) => printable((options.formatInstant ?? formatReceiptInstant)(iso));
  const encoder = new ReceiptPrinterEncoder({ columns, language: 'esc-pos' })
    .initialize()
    .codepage('auto');
  encoder.align('center').bold(true).size(2, 2).line(printable(sheet.title)).size(1, 1);
  encoder.line(printable(sheet.storeName)).bold(false).line(printable(sheet.terminalName));
  encoder.line(`Opened ${when(sheet.openedAt)}`);
  if (sheet.closedAt) encoder.line(`Closed ${when(sheet.closedAt)}`);
  encoder.line(`Printed ${when(sheet.madeAt)}`);
  if (sheet.variance) {
    encoder
      .newline()
      .bold(true)
      .line(printable(`Variance ${sheet.variance.text} (${sheet.variance.outcome})`))
      .bold(false);
  }
  encoder.align('left');
  for (const section of sheet.sections) {
    encoder.rule().bold(true).line(printable(section.heading)).bold(false);
    for (const row of section.rows) {
      const text = twoColumns(printable(row.label), printable(row.value), columns);
      if (row.strong === true) encoder.bold(true).line(text).bold(false);
      else encoder.line(text);
    }
  }
  return encoder.newline().cut().encode();
}
