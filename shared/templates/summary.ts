import { formatMoney } from '../money.ts';
import { PRODUCT_KIND_LABELS } from '../schemas/product.ts';
import type { ProductKind } from '../schemas/product.ts';
import { expiryOf } from './product-template.ts';
import type { ProductTemplate } from './product-template.ts';

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "19 Dec": the day a cashier or customer reads, in UTC like the server's expiry dates. */
export function shortDate(iso: string): string {
  return SHORT_DATE.format(new Date(iso));
}

/** "31 Dec 2027". */
export function longDate(iso: string): string {
  return LONG_DATE.format(new Date(iso));
}

/** A whole amount reads "€25", not "€25.00": tiles are read at a glance. */
function wholeMoney(template: Extract<ProductTemplate, { kind: 'gift_card' }>): string {
  return formatMoney(template.initialBalance, template.currency).replace(/[.,]00$/, '');
}

/** What a sale of the product issues, after its kind: the few words a tile has room for. */
function detailOf(template: ProductTemplate): string {
  switch (template.kind) {
    case 'gift_card':
      return `${wholeMoney(template)} balance`;
    case 'voucher':
      return 'for one person';
    case 'licence':
      return template.seats === 1 ? '1 seat' : `${String(template.seats)} seats`;
    case 'ticket':
      return `${template.eventName}, ${shortDate(template.eventDate)}`;
  }
}

/**
 * "Gift card · €25 balance", "Licence · 5 seats", "Ticket · Winter Gala, 19 Dec". Null for a
 * product without a template: it still sells, the tile just shows its kind.
 */
export function templateSummary(
  kind: ProductKind,
  template: ProductTemplate | null,
): string | null {
  if (template === null) return null;
  return `${PRODUCT_KIND_LABELS[kind]} · ${detailOf(template)}`;
}

/**
 * The lines a code card prints under the code: the ticket's event and "Valid until …" from the
 * template's validity counted from the sale (the same `expiryOf` the server stores). The expiry is
 * exclusive, so the last valid day is the day before it.
 */
export function codeCardNotes(template: ProductTemplate | null, soldAt: string): string[] {
  if (template === null) return [];
  const notes: string[] = [];
  if (template.kind === 'ticket') {
    notes.push(`${template.eventName} · ${longDate(template.eventDate)}`);
  }
  const expiry = expiryOf(template, soldAt);
  if (expiry !== null) notes.push(`Valid until ${longDate(lastValidDay(expiry))}`);
  return notes;
}

function lastValidDay(expiry: string): string {
  return new Date(Date.parse(expiry) - 1).toISOString();
}
