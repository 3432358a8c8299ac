import type { CartLine } from '../../shared/sale/build-sale.ts';
import type { Discount } from '../../shared/pricing/discount.ts';
import type { CardPayment, Gift } from '../../shared/schemas/sale.ts';
import { MAX_QUANTITY_PER_LINE } from '../../shared/schemas/sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import type { CartDoc } from '../data/local-schemas.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';

/**
 * The open cart lives in RxDB, not in memory, so a reload or a crash in the middle of a sale
 * loses nothing (STYLE.md 6). Components call these commands; they never write the cart directly.
 */
async function modifyCart(
  db: EntitleDatabase,
  now: () => Date,
  change: (cart: CartDoc) => Omit<CartDoc, 'id' | 'updatedAt'>,
): Promise<void> {
  const empty: CartDoc = { id: OPEN_CART_ID, lines: [], updatedAt: now().toISOString() };
  const cart =
    (await db.carts.findOne(OPEN_CART_ID).exec()) ?? (await db.carts.insertIfNotExists(empty));
  await cart.incrementalModify((current) => ({
    ...change(current),
    id: OPEN_CART_ID,
    updatedAt: now().toISOString(),
  }));
}

function withQuantity(
  lines: readonly CartLine[],
  productId: string,
  quantity: (current: number) => number,
): CartLine[] {
  const existing = lines.find((line) => line.productId === productId);
  const next = Math.min(MAX_QUANTITY_PER_LINE, quantity(existing?.quantity ?? 0));
  if (!existing) return next > 0 ? [...lines, { productId, quantity: next }] : [...lines];
  // A changed quantity keeps the line's gift: the buyer still means it for the same person.
  return lines.flatMap((line) =>
    line.productId !== productId ? [line] : next > 0 ? [{ ...line, quantity: next }] : [],
  );
}

function withGift(lines: readonly CartLine[], productId: string, gift: Gift | null): CartLine[] {
  return lines.map((line) => {
    if (line.productId !== productId) return line;
    const { gift: _old, ...plain } = line;
    return gift ? { ...plain, gift } : plain;
  });
}

function withDiscount(
  lines: readonly CartLine[],
  productId: string,
  discount: Discount | null,
): CartLine[] {
  return lines.map((line) => {
    if (line.productId !== productId) return line;
    const { discount: _old, ...plain } = line;
    return discount ? { ...plain, discount } : plain;
  });
}

/** Everything but the lines stays: the pending sale, its card payments, the cart discount. */
function keepRest(cart: CartDoc, lines: CartLine[]): Omit<CartDoc, 'id' | 'updatedAt'> {
  const { id: _id, updatedAt: _updatedAt, ...rest } = cart;
  return { ...rest, lines };
}

/** Raised when the cashier edits a cart that a card has already paid (part of). */
export class CardPaymentAttached extends Error {
  override name = 'CardPaymentAttached';
  constructor() {
    super('A card has paid for this cart. Complete the sale, or cancel the card payment first.');
  }
}

export function createCartCommands(db: EntitleDatabase, now: () => Date = () => new Date()) {
  // While card money is attached the lines are the ones the customer paid for: no edits.
  const lines = (change: (lines: readonly CartLine[]) => CartLine[]) =>
    modifyCart(db, now, (cart) => {
      if ((cart.cardPayments ?? []).length > 0) throw new CardPaymentAttached();
      return keepRest(cart, change(cart.lines));
    });
  return {
    add: (productId: string, quantity = 1) =>
      lines((current) => withQuantity(current, productId, (had) => had + quantity)),
    setQuantity: (productId: string, quantity: number) =>
      lines((current) => withQuantity(current, productId, () => quantity)),
    remove: (productId: string) => lines((current) => withQuantity(current, productId, () => 0)),
    /** Marks every unit of the line as a gift; `parseGiftForm` has checked it already. */
    setGift: (productId: string, gift: Gift) =>
      lines((current) => withGift(current, productId, gift)),
    removeGift: (productId: string) => lines((current) => withGift(current, productId, null)),
    setLineDiscount: (productId: string, discount: Discount | null) =>
      lines((current) => withDiscount(current, productId, discount)),
    setCartDiscount: (discount: Discount | null) =>
      modifyCart(db, now, (cart) => {
        const { id: _id, updatedAt: _updatedAt, cartDiscount: _old, ...rest } = cart;
        return discount ? { ...rest, cartDiscount: discount } : rest;
      }),
    /** The id the sale will have: fixed before the first card is charged (its idempotency key). */
    saleIdForCheckout: async (newId: () => string): Promise<string> => {
      let saleId = '';
      await modifyCart(db, now, (cart) => {
        const { id: _id, updatedAt: _updatedAt, ...rest } = cart;
        saleId = cart.pendingSaleId ?? newId();
        return { ...rest, pendingSaleId: saleId };
      });
      return saleId;
    },
    /** Takes a card payment off the cart after the server refunded or cancelled it. */
    removeCardPayment: (paymentIntentId: string) =>
      modifyCart(db, now, (cart) => {
        const { id: _id, updatedAt: _updatedAt, ...rest } = cart;
        return {
          ...rest,
          cardPayments: (cart.cardPayments ?? []).filter(
            (payment) => payment.paymentIntentId !== paymentIntentId,
          ),
        };
      }),
    /**
     * Records a captured card payment against the open cart, under the sale id it was taken
     * for, in one write: the card's money and the sale it belongs to are never separated.
     */
    addCardPayment: (saleId: string, payment: CardPayment) =>
      modifyCart(db, now, (cart) => {
        if (cart.pendingSaleId !== undefined && cart.pendingSaleId !== saleId) {
          throw new Error('The card payment belongs to another sale.');
        }
        const { id: _id, updatedAt: _updatedAt, ...rest } = cart;
        return {
          ...rest,
          pendingSaleId: saleId,
          cardPayments: [...(cart.cardPayments ?? []), payment],
        };
      }),
    /** Empties the cart. Refused while card money is attached: refund or complete it first. */
    clear: () =>
      modifyCart(db, now, (cart) => {
        if ((cart.cardPayments ?? []).length > 0) throw new CardPaymentAttached();
        return { lines: [] };
      }),
  };
}
export type CartCommands = ReturnType<typeof createCartCommands>;
