import type { MinorUnits } from '../../shared/money.ts';
import { formatMoney } from '../../shared/money.ts';
import { Email } from '../../shared/schemas/common.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { assembleSale, priceCart, totalOf, unitsOf } from '../../shared/sale/build-sale.ts';
import { localDateOf } from '../../shared/sale/gift.ts';
import { tenderCash } from '../../shared/sale/cash.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { issueCodes, reserveSerials } from './issuing.ts';

export type CheckoutDeps = { readonly now: () => Date; readonly newId: () => string };

export const defaultCheckoutDeps: CheckoutDeps = {
  now: () => new Date(),
  newId: () => crypto.randomUUID(),
};

/** A checkout the cashier can fix: empty cart, not enough cash, an item no longer sold. */
export class CheckoutProblem extends Error {
  override name = 'CheckoutProblem';
}

/**
 * Completes the open cart as a cash sale. Needs no network (DESIGN invariant 7).
 *
 * The sale with all its codes is ONE insert (invariant 1). The cart is marked with the sale's id
 * first, so a crash between writing the sale and clearing the cart is repaired on the next start
 * (`recoverInterruptedCheckout`) instead of selling the same cart twice; pressing Complete twice
 * reuses the id and finds the sale already written.
 */
export async function completeCashSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  checkout: { readonly tendered: MinorUnits; readonly buyerEmail?: string },
  deps: CheckoutDeps = defaultCheckoutDeps,
): Promise<Sale> {
  const { tendered, buyerEmail } = checkout;
  const cart = await db.carts.findOne(OPEN_CART_ID).exec();
  if (cart?.pendingSaleId) {
    const written = await db.sales.findOne(cart.pendingSaleId).exec();
    if (written) {
      await cart.incrementalModify((current) => ({
        id: current.id,
        lines: [],
        updatedAt: deps.now().toISOString(),
      }));
      return written.toMutableJSON();
    }
  }
  if (!cart || cart.lines.length === 0)
    throw new CheckoutProblem('The cart is empty. Add an item first.');
  if (buyerEmail !== undefined && !Email.safeParse(buyerEmail).success) {
    throw new CheckoutProblem(
      'That e-mail address does not look right. Correct it, or leave it empty.',
    );
  }

  // A cart can wait overnight: a send date chosen yesterday for yesterday has passed by now.
  const today = localDateOf(deps.now());
  const lateGift = cart.lines.find(
    (line) => line.gift?.sendOn !== undefined && line.gift.sendOn < today,
  );
  if (lateGift?.gift) {
    throw new CheckoutProblem(
      `The gift for ${lateGift.gift.recipientEmail} was to be sent on ${lateGift.gift.sendOn ?? ''}, which has passed. Change the date on the cart line.`,
    );
  }

  const products = await db.products.findByIds(cart.lines.map((line) => line.productId)).exec();
  let priced;
  try {
    priced = priceCart(
      cart.lines,
      new Map([...products].map(([id, doc]) => [id, doc.toMutableJSON()])),
    );
  } catch (error) {
    throw new CheckoutProblem(error instanceof Error ? error.message : String(error));
  }
  const total = totalOf(priced);
  const tender = tenderCash(total, tendered);
  if (!tender.ok) {
    throw new CheckoutProblem(
      `Not enough cash: ${formatMoney(tender.short, credentials.currency)} more is needed.`,
    );
  }

  const saleId = cart.pendingSaleId ?? deps.newId();
  await cart.incrementalPatch({ pendingSaleId: saleId });
  const reservation = await reserveSerials(
    db,
    credentials.terminalId,
    credentials.terminalPrefix,
    unitsOf(priced),
  );
  const sale = assembleSale({
    id: saleId,
    storeId: credentials.storeId,
    terminalId: credentials.terminalId,
    terminalPrefix: credentials.terminalPrefix,
    receiptNumber: reservation.receiptNumber,
    createdAt: deps.now().toISOString(),
    currency: credentials.currency,
    lines: priced,
    codes: await issueCodes(credentials, reservation.serials),
    payments: [{ method: 'cash', amount: total, tendered: tender.tendered, change: tender.change }],
    ...(buyerEmail ? { buyerEmail } : {}),
  });
  await db.sales.insert(sale);
  await clearCompletedCart(db, saleId, deps.now);
  return sale;
}

async function clearCompletedCart(
  db: EntitleDatabase,
  saleId: string,
  now: () => Date,
): Promise<void> {
  const cart = await db.carts.findOne(OPEN_CART_ID).exec();
  if (cart?.pendingSaleId !== saleId) return;
  await cart.incrementalModify((current) => ({
    id: current.id,
    lines: [],
    updatedAt: now().toISOString(),
  }));
}

/** On start: a sale that was written but whose cart was not yet cleared is finished now. */
export async function recoverInterruptedCheckout(
  db: EntitleDatabase,
  now: () => Date = () => new Date(),
): Promise<void> {
  const cart = await db.carts.findOne(OPEN_CART_ID).exec();
  if (!cart?.pendingSaleId) return;
  const written = await db.sales.findOne(cart.pendingSaleId).exec();
  if (written) await clearCompletedCart(db, cart.pendingSaleId, now);
}
