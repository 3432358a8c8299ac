import type { CartLine } from '../../shared/sale/build-sale.ts';
import type { Gift } from '../../shared/schemas/sale.ts';
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
    const plain = { productId: line.productId, quantity: line.quantity };
    return gift ? { ...plain, gift } : plain;
  });
}

export function createCartCommands(db: EntitleDatabase, now: () => Date = () => new Date()) {
  const linesOnly = (cart: CartDoc, lines: CartLine[]) => ({
    lines,
    ...(cart.pendingSaleId ? { pendingSaleId: cart.pendingSaleId } : {}),
  });
  return {
    add: (productId: string, quantity = 1) =>
      modifyCart(db, now, (cart) =>
        linesOnly(
          cart,
          withQuantity(cart.lines, productId, (current) => current + quantity),
        ),
      ),
    setQuantity: (productId: string, quantity: number) =>
      modifyCart(db, now, (cart) =>
        linesOnly(
          cart,
          withQuantity(cart.lines, productId, () => quantity),
        ),
      ),
    remove: (productId: string) =>
      modifyCart(db, now, (cart) =>
        linesOnly(
          cart,
          withQuantity(cart.lines, productId, () => 0),
        ),
      ),
    /** Marks every unit of the line as a gift; `parseGiftForm` has checked it already. */
    setGift: (productId: string, gift: Gift) =>
      modifyCart(db, now, (cart) => linesOnly(cart, withGift(cart.lines, productId, gift))),
    removeGift: (productId: string) =>
      modifyCart(db, now, (cart) => linesOnly(cart, withGift(cart.lines, productId, null))),
    clear: () => modifyCart(db, now, () => ({ lines: [] })),
  };
}
export type CartCommands = ReturnType<typeof createCartCommands>;
