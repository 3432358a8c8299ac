import { create } from 'qrcode';
import type { Sale } from '../../shared/schemas/sale.ts';
import { redeemUrlOf } from '../../shared/receipt/receipt-model.ts';

const QUIET_ZONE = 4;
/** Drawings kept: a receipt's codes, the customer display's, a few reprints. */
const KEEP = 64;

/** A QR code as one SVG path in module units, with the quiet zone around it. */
export type QrDrawing = { readonly path: string; readonly dimension: number };

const drawn = new Map<string, QrDrawing>();

/** The QR code of `text`, drawn once (about 3 ms each) and kept for the next render. */
export function qrDrawingOf(text: string): QrDrawing {
  const kept = drawn.get(text);
  if (kept) return kept;
  const modules = create(text, { errorCorrectionLevel: 'M' }).modules;
  let path = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(x, y)) path += `M${String(x + QUIET_ZONE)} ${String(y + QUIET_ZONE)}h1v1h-1z`;
    }
  }
  const drawing = { path, dimension: modules.size + QUIET_ZONE * 2 };
  drawn.set(text, drawing);
  if (drawn.size > KEEP) {
    const oldest = drawn.keys().next();
    if (oldest.done !== true) drawn.delete(oldest.value);
  }
  return drawing;
}

/**
 * Draws the QR codes of a sale's receipt ahead (their redemption URLs, as the receipt model
 * makes them): called as the sale is being stored, for codes not drawn when the payment screen
 * opened (`drawQrCodesAhead`); those are found drawn already.
 */
export function drawCodesAhead(sale: Sale, redeemBaseUrl: string): void {
  drawQrCodesAhead(
    sale.lines.flatMap((line) => line.codes),
    redeemBaseUrl,
  );
}

/** Draws the QR codes of `codes`' redemption URLs, as a receipt shows them, and keeps them. */
export function drawQrCodesAhead(codes: readonly string[], redeemBaseUrl: string): void {
  for (const code of codes) qrDrawingOf(redeemUrlOf(redeemBaseUrl, code));
}
