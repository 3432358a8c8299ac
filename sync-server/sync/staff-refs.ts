import type { DbOrTrx } from '../db/schema.ts';

/** A staff member a pushed fact names, and in which of its fields. */
export type StaffRef = { readonly field: string; readonly id: string | null };

/**
 * Why a fact naming staff is refused, or null: every non-null staff id in it must be a member
 * of the fact's store or an admin of every store. Inactive members and changed roles are
 * accepted: the counter checked the PIN offline against what it had, and the fact happened;
 * approvals that no longer look right are listed by factsNeedingReview instead.
 */
export async function staffRefusal(
  db: DbOrTrx,
  storeId: string,
  refs: readonly StaffRef[],
  what: string,
): Promise<string | null> {
  const named = refs.filter((ref): ref is StaffRef & { id: string } => ref.id !== null);
  if (named.length === 0) return null;
  const found = await db
    .selectFrom('staff')
    .select('id')
    .where(
      'id',
      'in',
      named.map((ref) => ref.id),
    )
    .where((eb) => eb.or([eb('store_id', '=', storeId), eb('store_id', 'is', null)]))
    .execute();
  const known = new Set(found.map((row) => row.id));
  const unknown = named.find((ref) => !known.has(ref.id));
  return unknown === undefined
    ? null
    : `${what} names staff member ${unknown.id} as ${unknown.field}, who is not staff of this store. Nothing was saved; sync the staff list and sign in again.`;
}

/** What a void and a refund share: the cashier who took the sale back and who approved it. */
type Reversal = {
  readonly storeId: string;
  readonly receiptNumber: string;
  readonly staffId: string | null;
  readonly approvedBy: string | null;
};

/** staffRefusal for a void or a refund of a sale, worded "The void of A1B2-000042 names …". */
export function reversalStaffRefusal(
  db: DbOrTrx,
  reversal: Reversal,
  kind: 'void' | 'refund',
): Promise<string | null> {
  return staffRefusal(
    db,
    reversal.storeId,
    [
      { field: 'staffId', id: reversal.staffId },
      { field: 'approvedBy', id: reversal.approvedBy },
    ],
    `The ${kind} of ${reversal.receiptNumber}`,
  );
}
