import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { CurrencyCode, MinorUnits } from '../../shared/money.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { redeemUrlOf } from '../receipt/CodeCard.tsx';

/**
 * What the customer-facing display shows, and nothing more: it is built here from the cart or the
 * sale and sent over a BroadcastChannel, so the display never holds the database, the terminal's
 * credentials or the cashier's screens — only the customer's own lines, totals and codes.
 */
export const DISPLAY_CHANNEL = 'entitle-customer-display';

/** How long "Thank you" and the codes stay up after a sale, unless the next sale starts. */
export const THANK_YOU_MS = 60_000;

const Text = z.string().max(200);

const DisplayLine = z.strictObject({
  name: Text,
  quantity: z.number().int().min(1),
  lineTotal: MinorUnits,
  discountAmount: MinorUnits,
  total: MinorUnits,
});
export type DisplayLine = z.infer<typeof DisplayLine>;

const DisplayCode = z.strictObject({ productName: Text, code: Text, url: z.url() });
export type DisplayCode = z.infer<typeof DisplayCode>;

export const DisplayState = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('welcome'), storeName: Text }),
  z.strictObject({
    kind: z.literal('cart'),
    storeName: Text,
    currency: CurrencyCode,
    lines: z.array(DisplayLine).max(100),
    subtotal: MinorUnits,
    discountTotal: MinorUnits,
    taxTotal: MinorUnits,
    total: MinorUnits,
    /** Already paid by card on this cart; `remaining` is what is left to pay. */
    paid: MinorUnits,
    remaining: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('thank-you'),
    storeName: Text,
    currency: CurrencyCode,
    total: MinorUnits,
    change: MinorUnits,
    codes: z.array(DisplayCode).max(1000),
    /**
     * When the display drops the codes on its own (epoch ms), even if the till has gone away:
     * they are the customer's, and the next person at the counter must not be able to scan them.
     */
    endsAt: z.number().int(),
  }),
]);
export type DisplayState = z.infer<typeof DisplayState>;

/** The display says `hello` when it opens; the POS answers with the current state. */
export const DisplayMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello') }),
  z.strictObject({ type: z.literal('state'), state: DisplayState }),
]);
export type DisplayMessage = z.infer<typeof DisplayMessage>;

/** Anything else on the channel (another version of the app, a stray page) is ignored. */
export function parseDisplayMessage(data: unknown): DisplayMessage | null {
  const parsed = DisplayMessage.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export type CartForDisplay = {
  readonly lines: readonly {
    readonly name: string;
    readonly quantity: number;
    readonly lineTotal: number;
    readonly discountAmount: number;
    readonly total: number;
  }[];
  readonly subtotal: number;
  readonly discountTotal: number;
  readonly taxTotal: number;
  readonly total: number;
  readonly paid: number;
};

function thankYouOf(storeName: string, sale: Sale, redeemBase: string): DisplayState {
  return {
    kind: 'thank-you',
    storeName,
    currency: sale.currency,
    total: sale.total,
    change: sale.payments.reduce(
      (sum, payment) => sum + (payment.method === 'cash' ? payment.change : 0),
      0,
    ),
    codes: sale.lines.flatMap((line) =>
      line.codes.map((code) => ({
        productName: line.name,
        code: formatCode(code),
        url: redeemUrlOf(redeemBase, code),
      })),
    ),
    endsAt: thankYouEndsAt(sale),
  };
}

/**
 * The display's state at `now`: the open cart while it has lines (a new sale ends the thank-you
 * at once); else the sale just completed, for THANK_YOU_MS after it was made; else welcome.
 */
export function displayStateOf(input: {
  readonly storeName: string;
  readonly currency: string;
  readonly redeemBase: string;
  readonly cart: CartForDisplay;
  readonly lastSale: Sale | null;
  readonly now: number;
}): DisplayState {
  const { storeName, cart, lastSale } = input;
  if (cart.lines.length > 0) {
    return {
      kind: 'cart',
      storeName,
      currency: input.currency,
      lines: cart.lines.map(({ name, quantity, lineTotal, discountAmount, total }) => ({
        name,
        quantity,
        lineTotal,
        discountAmount,
        total,
      })),
      subtotal: cart.subtotal,
      discountTotal: cart.discountTotal,
      taxTotal: cart.taxTotal,
      total: cart.total,
      paid: cart.paid,
      remaining: cart.total - cart.paid,
    };
  }
  if (lastSale && input.now < thankYouEndsAt(lastSale)) {
    return thankYouOf(storeName, lastSale, input.redeemBase);
  }
  return { kind: 'welcome', storeName };
}

/** When the thank-you for this sale gives way to the welcome screen (epoch ms). */
export function thankYouEndsAt(sale: Pick<Sale, 'createdAt'>): number {
  return Date.parse(sale.createdAt) + THANK_YOU_MS;
}
