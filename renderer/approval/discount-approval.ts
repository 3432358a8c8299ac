import type { Discount } from '../../shared/pricing/discount.ts';
import { discountAmountOf } from '../../shared/pricing/discount.ts';
import { MILLI_PERCENT_SCALE } from '../../shared/pricing/percent.ts';
import type { EntitleDatabase } from '../data/database.ts';

/**
 * Does this discount need a manager? Above the store's limit it does: a percent discount above
 * the limit, or an amount whose share of what it comes off (`base`) is above it. Compared in
 * integers (amount × 100 000 against limit × base), so no rounding decides it.
 */
export function discountNeedsApproval(
  discount: Discount,
  base: number,
  limitMilliPercent: number,
): boolean {
  if (discount.kind === 'percent') return discount.milliPercent > limitMilliPercent;
  if (base <= 0) return false;
  const amount = discountAmountOf(discount, base);
  return amount * MILLI_PERCENT_SCALE > limitMilliPercent * base;
}

/**
 * The manager who approved a discount on the open cart, until the sale is written. A local
 * document (not the cart, whose schema is the cart's own), so a reload keeps it too.
 */
const APPROVAL_DOC = 'discount-approval';
type StoredApproval = { approvedBy: string };

export async function rememberDiscountApproval(
  db: EntitleDatabase,
  approvedBy: string,
): Promise<void> {
  await db.upsertLocal<StoredApproval>(APPROVAL_DOC, { approvedBy });
}

export async function discountApproval(db: EntitleDatabase): Promise<string | null> {
  const doc = await db.getLocal<StoredApproval>(APPROVAL_DOC);
  const approvedBy = doc ? (doc.toJSON().data as Partial<StoredApproval>).approvedBy : undefined;
  return typeof approvedBy === 'string' ? approvedBy : null;
}

/** After the sale is written: the next cart starts with no approval. */
export async function forgetDiscountApproval(db: EntitleDatabase): Promise<void> {
  const doc = await db.getLocal(APPROVAL_DOC);
  await doc?.remove();
}
