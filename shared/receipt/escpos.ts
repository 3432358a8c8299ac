import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { Receipt } from './receipt-model.ts';

/** Font A on 80 mm paper (576 dots) fits 48 characters; 58 mm printers fit 32. */
export const DEFAULT_COLUMNS = 48;

export type EscPosOptions = {
  readonly columns?: number;
  /** Kick the cash drawer wired to the printer (only for a fresh cash sale, never a reprint). */
  readonly openDrawer?: boolean;
  /** How the sale's instant is written; the till's local time by default. */
  readonly formatInstant?: (iso: string) => string;
};

/** Made once, on first use (making one costs about a millisecond; a receipt renders it often). */
let instantFormat: Intl.DateTimeFormat | null = null;

export function formatReceiptInstant(iso: string): string {
  instantFormat ??= new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return instantFormat.format(new Date(iso));
}

/** "2 × Spa voucher ........ €85.36": the label shortened, never the amount. */
export function twoColumns(left: string, right: string, columns: number): string {
  const room = columns - right.length - 1;
  const label = left.length > room ? `${left.slice(0, Math.max(room - 1, 0))}…` : left;
  return `${label}${' '.repeat(Math.max(columns - label.length - right.length, 1))}${right}`;
}

/**
 * Characters the screen uses that thermal printers' code pages lack (they would print "?"), or
 * that land on control codes there ("•" is 0x07 in CP437): plain equivalents instead.
 */
export function printable(text: string): string {
  return text
    .replace(/[−–—]/g, '-')
    .replace(/•/g, '*')
    .replace(/…/g, '...')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"');
}

function newEncoder(columns: number): ReceiptPrinterEncoder {
  // 'auto' picks a code page per character run, so "€" and "é" print instead of "?".
  return new ReceiptPrinterEncoder({ columns, language: 'esc-pos' }).initialize().codepage('auto');
}

/**
 * The receipt as ESC/POS bytes for a thermal printer: text, each code with a QR made by the
 * printer's own QR command (GS ( k), a cut, and the drawer pulse for a fresh cash sale.
 */
export function encodeReceiptEscPos(shown: Receipt, options: EscPosOptions = {}): Uint8Array {
  // The model is plain data: every string in it made printable at once (URLs have none of them).
  const receipt = JSON.parse(JSON.stringify(shown), (_key, value: unknown) =>
    typeof value === 'string' ? printable(value) : value,
  ) as Receipt;
  const columns = options.columns ?? DEFAULT_COLUMNS;
  const when = printable((options.formatInstant ?? formatReceiptInstant)(receipt.createdAt));
  const row = (left: string, right: string): string => twoColumns(left, right, columns);
  const encoder = newEncoder(columns);

  encoder.align('center').bold(true).size(2, 2).line(receipt.storeName).size(1, 1).bold(false);
  encoder.line(`Receipt ${receipt.receiptNumber}`).line(`${when} · ${receipt.terminalName}`);
  if (receipt.servedBy !== null) encoder.line(printable(`Served by ${receipt.servedBy}`));
  if (receipt.voided) encoder.newline().bold(true).line('*** VOIDED ***').bold(false);
  encoder.align('left').rule();

  for (const line of receipt.lines) {
    encoder.line(row(line.label, line.amount));
    if (line.discount !== null) {
      encoder.line(
        `  ${line.discount}${line.listAmount === null ? '' : ` (was ${line.listAmount})`}`,
      );
    }
    if (line.giftNote !== null) encoder.line(`  ${line.giftNote}`);
  }
  encoder.rule();
  encoder.line(row('Subtotal', receipt.totals.subtotal));
  if (receipt.totals.discounts) {
    encoder.line(row(receipt.totals.discounts.label, receipt.totals.discounts.amount));
  }
  for (const tax of receipt.totals.taxes) encoder.line(row(tax.label, tax.amount));
  encoder.bold(true).line(row('TOTAL', receipt.totals.total)).bold(false);
  for (const payment of receipt.payments) {
    encoder.line(row(payment.label, payment.amount));
    for (const detail of payment.details) encoder.line(`  ${detail}`);
  }
  for (const refund of receipt.refunds) {
    encoder.line(row(`Refunded ${refund.lines.join(', ')}`, `-${refund.amount}`));
  }

  if (receipt.codes.length > 0) {
    encoder.rule().align('center').bold(true).line('YOUR CODES').bold(false);
    encoder.line('Keep this receipt: whoever has a code can redeem it.');
  }
  for (const code of receipt.codes) {
    encoder.newline().align('center').bold(true).line(code.productName).bold(false);
    encoder.line(code.summary);
    for (const note of code.notes) encoder.line(note);
    if (code.giftFor !== null) encoder.line(`Gift for ${code.giftFor}`);
    encoder.qrcode(code.url, { model: 2, size: 6, errorlevel: 'm' });
    encoder.bold(true).line(code.formatted).bold(false);
    encoder.line(code.howToRedeem);
  }
  encoder.align('left').newline();
  if (options.openDrawer === true && receipt.paidInCash) encoder.pulse();
  return encoder.cut().encode();
}

/** A short page that proves the printer, its paper, its QR support and its cutter work. */
export function encodeTestPageEscPos(input: {
  readonly storeName: string;
  readonly printer: string;
  readonly columns?: number;
}): Uint8Array {
  const encoder = newEncoder(input.columns ?? DEFAULT_COLUMNS);
  return encoder
    .align('center')
    .bold(true)
    .line('Entitle test page')
    .bold(false)
    .line(printable(input.storeName))
    .line(`Printer ${input.printer}`)
    .newline()
    .qrcode(`Entitle test page ${input.printer}`, { model: 2, size: 6, errorlevel: 'm' })
    .line('If you can read this and scan the QR code, receipts will print here.')
    .newline()
    .cut()
    .encode();
}

/** Only the drawer pulse: "Open drawer" without a sale (approved by a manager) prints nothing. */
export function encodeDrawerKickEscPos(columns: number = DEFAULT_COLUMNS): Uint8Array {
  return newEncoder(columns).pulse().encode();
}
