import type { MinorUnits } from '../../shared/money.ts';
import { formatMoney, sumMoney } from '../../shared/money.ts';
import { cashRoundingIncrement, roundCashDue } from '../../shared/pricing/cash-rounding.ts';
import { Email } from '../../shared/schemas/common.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Payment, Sale } from '../../shared/schemas/sale.ts';
import { assembleSale, priceCart, totalOf, unitsOf } from '../../shared/sale/build-sale.ts';
import { localDateOf } from '../../shared/sale/gift.ts';
import { tenderCash } from '../../shared/sale/cash.ts';
import type { RxDocument } from 'rxdb';
import type { Product } from '../../shared/schemas/product.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID, type CartDoc } from '../data/local-schemas.ts';
import { issueCodes, takeReservation } from './issuing.ts';
import { timeOrderedIds } from '../../shared/ids/time-ordered-id.ts';

export type CheckoutDeps = { readonly now: () => Date; readonly newId: () => string };

/** Sale ids are time-ordered: a new sale lands beside the last one in IndexedDB's sorted store. */
export const defaultCheckoutDeps: CheckoutDeps = {
  now: () => new Date(),
  newId: timeOrderedIds(),
};

/** A checkout the cashier can fix: empty cart, not enough cash, an item no longer sold. */
export class CheckoutProblem extends Error {
  override name = 'CheckoutProblem';
}

/**
 * Completes the open cart as a cash sale. Needs no network (DESIGN invariant 7).
 */
export function completeCashSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  checkout: { readonly tendered: MinorUnits; readonly buyerEmail?: string },
  deps: CheckoutDeps = defaultCheckoutDeps,
): Promise<Sale> {
  const { tendered, buyerEmail } = checkout;
  return completeSale(
    db,
    credentials,
    { cashTendered: tendered, ...(buyerEmail === undefined ? {} : { buyerEmail }) },
    deps,
  );
}

/** What a checkout needs besides the cart: the payment taken and who sold it. */
export type CheckoutInput = {
  readonly cashTendered?: MinorUnits;
  readonly buyerEmail?: string;
  /** Who is signed in, their shift, and the manager who approved a large discount (v4). */
  readonly staffId?: string | null;
  readonly shiftId?: string | null;
  readonly discountApprovedBy?: string | null;
};

/**
 * A sale just stored: the sale, the templates of what it sold (read with the products, so the
 * receipt needs no query of its own), and `clearCart`, which empties the cart it came from.
 */
export type WrittenSale = {
  readonly sale: Sale;
  readonly templates: ReadonlyMap<string, ProductTemplate | null>;
  /** Empties the cart the sale came from, unless it already moved on to another sale. */
  readonly clearCart: () => Promise<void>;
};

/**
 * Completes the open cart: the card payments already captured on it (see the cart's
 * `cardPayments`) plus cash for the rest, rounded to the coins the currency still has. With no
 * card involved it needs no network (DESIGN invariant 7). Returns once the cart is empty.
 */
export async function completeSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  checkout: CheckoutInput,
  deps: CheckoutDeps = defaultCheckoutDeps,
): Promise<Sale> {
  const written = await writeSale(db, credentials, checkout, deps);
  await written.clearCart();
  return written.sale;
}

/**
 * The part of a checkout that must be done before the receipt shows: the sale with all its
 * codes in ONE insert (invariant 1), awaited until IndexedDB has stored it. The cart is not
 * emptied yet (`clearCart` does that): it carries the sale's id (`pendingSaleId`) from before the
 * insert, so a crash between writing the sale and clearing the cart is repaired on the next start
 * (`recoverInterruptedCheckout`) instead of selling the same cart twice, and pressing Complete
 * twice reuses the id and finds the sale already written.
 *
 * An emptied cart already holds the id of the next sale, and the payment screen reserved the
 * receipt number and serials ahead (`reserveAhead`), so a checkout normally writes only the sale;
 * a cart that has no id yet (the first one, one emptied by "Cancel sale") is given one first, and
 * numbers not reserved ahead are reserved here.
 */
export async function writeSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  checkout: CheckoutInput,
  deps: CheckoutDeps = defaultCheckoutDeps,
  /** Work for the page while IndexedDB stores the sale (drawing the receipt's QR codes). */
  whileStoring: (sale: Sale) => void = () => undefined,
): Promise<WrittenSale> {
  const cart = await db.carts.findOne(OPEN_CART_ID).exec();
  const productDocs = await db.products
    .findByIds(cart?.lines.map((line) => line.productId) ?? [])
    .exec();
  // The sale this cart is for may be stored already (Complete pressed twice, a crash before the
  // cart was emptied). That nearly never happens, so it is not looked up before the insert (a
  // read of the sales store the receipt would wait for): the insert finds it, as a conflict on
  // the sale's id, and only then is it read. The serials reserved meanwhile are a gap, never a
  // repeat.
  const alreadyWritten = async (saleId = cart?.pendingSaleId): Promise<WrittenSale | null> => {
    const doc = saleId ? await db.sales.findOne(saleId).exec() : null;
    if (!cart || !doc) return null;
    const sale = doc.toMutableJSON();
    return {
      sale,
      templates: templatesOf(productDocs),
      clearCart: () => clearCartOf(cart, sale.id, deps),
    };
  };
  let checked: ReturnType<typeof checkCart>;
  try {
    checked = checkCart(cart, productDocs, checkout, credentials.currency, deps);
  } catch (error) {
    const written = await alreadyWritten();
    if (written) return written;
    throw error;
  }
  const { cart: open, priced, payments } = checked;

  const saleId = open.pendingSaleId ?? deps.newId();
  if (open.pendingSaleId === undefined) await open.incrementalPatch({ pendingSaleId: saleId });
  // Normally reserved ahead, while the payment screen showed (reserveAhead): no write here.
  const reservation = await takeReservation(db, credentials, unitsOf(priced));
  const sale = assembleSale({
    id: saleId,
    storeId: credentials.storeId,
    terminalId: credentials.terminalId,
    terminalPrefix: credentials.terminalPrefix,
    receiptNumber: reservation.receiptNumber,
    createdAt: deps.now().toISOString(),
    currency: credentials.currency,
    lines: priced,
    cartDiscount: open.cartDiscount,
    codes: await issueCodes(credentials, reservation.serials),
    payments,
    ...(checkout.buyerEmail ? { buyerEmail: checkout.buyerEmail } : {}),
    staffId: checkout.staffId ?? null,
    shiftId: checkout.shiftId ?? null,
    discountApprovedBy: checkout.discountApprovedBy ?? null,
  });
  // One insert, which refuses an id already stored: the sale of this cart, written before.
  const stored = db.sales.insert(sale).then(
    () => null,
    async (error: unknown) => {
      const written = isConflict(error) ? await alreadyWritten(saleId) : null;
      if (written) return written;
      throw error;
    },
  );
  try {
    whileStoring(sale);
  } catch {
    // Only a head start for the receipt: the sale is what matters here.
  }
  const before = await stored;
  if (before) return before;
  return {
    sale,
    templates: templatesOf(productDocs),
    clearCart: () => clearCartOf(open, saleId, deps),
  };
}

/** RxDB's refusal of an insert whose id is stored already. */
function isConflict(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === 'CONFLICT' ||
      (error as { status?: unknown }).status === 409)
  );
}

/** What a cashier can fix, checked before anything is written: the cart priced and paid. */
function checkCart(
  cart: RxDocument<CartDoc> | null,
  productDocs: ReadonlyMap<string, RxDocument<Product>>,
  checkout: CheckoutInput,
  currency: string,
  deps: CheckoutDeps,
) {
  const { cashTendered, buyerEmail } = checkout;
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

  let priced;
  try {
    priced = priceCart(
      cart.lines,
      new Map([...productDocs].map(([id, doc]) => [id, doc.toMutableJSON()])),
      cart.cartDiscount,
    );
  } catch (error) {
    throw new CheckoutProblem(error instanceof Error ? error.message : String(error));
  }
  const payments = settle(totalOf(priced), cart.cardPayments ?? [], cashTendered, currency);
  return { cart, priced, payments };
}

function templatesOf(
  products: ReadonlyMap<string, RxDocument<Product>>,
): Map<string, ProductTemplate | null> {
  return new Map([...products].map(([id, doc]) => [id, doc.toMutableJSON().template]));
}

/** The payments of a sale: the cards captured, then cash for the rest (if any is left). */
function settle(
  total: MinorUnits,
  cardPayments: readonly Payment[],
  cashTendered: MinorUnits | undefined,
  currency: string,
): Payment[] {
  const remaining = total - sumMoney(cardPayments.map((payment) => payment.amount));
  if (remaining < 0) {
    throw new CheckoutProblem(
      'The card payments are more than the total. Cancel a card payment, then try again.',
    );
  }
  if (remaining === 0) return [...cardPayments];
  const { payable, rounding } = roundCashDue(remaining, cashRoundingIncrement(currency));
  const tender = tenderCash(payable, cashTendered ?? 0);
  if (!tender.ok) {
    throw new CheckoutProblem(
      `Not enough cash: ${formatMoney(tender.short, currency)} more is needed.`,
    );
  }
  return [
    ...cardPayments,
    {
      method: 'cash',
      amount: remaining,
      rounding,
      tendered: tender.tendered,
      change: tender.change,
    },
  ];
}

/**
 * Empties the cart if it still belongs to `saleId`, in one write that checks this on the cart's
 * latest state (a cart already emptied, or moved on, is left alone). The write is queued at
 * once: an edit of the cart asked for after this call is applied after it. The emptied cart is
 * given the id of the next sale, so the next checkout need not write it first.
 */
async function clearCartOf(
  cart: RxDocument<CartDoc>,
  saleId: string,
  deps: CheckoutDeps,
): Promise<void> {
  await cart.incrementalModify((current) =>
    current.pendingSaleId === saleId ? emptyCart(current.id, deps) : current,
  );
}

function emptyCart(id: string, deps: CheckoutDeps): CartDoc {
  return { id, lines: [], pendingSaleId: deps.newId(), updatedAt: deps.now().toISOString() };
}

/**
 * On start: a sale that was written but whose cart was not yet cleared is finished now. Answers
 * that sale's id (its receipt may never have been shown), or null when there was none.
 */
export async function recoverInterruptedCheckout(
  db: EntitleDatabase,
  now: () => Date = () => new Date(),
): Promise<string | null> {
  const cart = await db.carts.findOne(OPEN_CART_ID).exec();
  if (!cart?.pendingSaleId) return null;
  const saleId = cart.pendingSaleId;
  const written = await db.sales.findOne(saleId).exec();
  if (!written) return null;
  await clearCartOf(cart, saleId, { ...defaultCheckoutDeps, now });
  return saleId;
}
