import { z } from 'zod';
import { MinorUnits } from '../money.ts';
import type { AuditEvent, AuditKind } from '../audit/audit-event.ts';
import { DocumentId } from '../schemas/common.ts';

/**
 * Shifts and drawer movements are audit events (shared/audit): the hash chain that makes a
 * deleted sale detectable makes a deleted cash-out detectable too, and there is one log, not
 * two that could disagree. These are the `detail` each kind carries; `subjectId` is the shift's
 * id (for `drawer_open`, the shift it happened in, or null outside a shift). The server projects
 * them into its `shifts` table; the counter and the server build reports from them with the
 * same code.
 */

const Reason = z.string().trim().min(1, 'Say why.').max(200);

export const ShiftOpenDetail = z.strictObject({
  float: MinorUnits,
  currency: z.string().length(3),
});
export type ShiftOpenDetail = z.infer<typeof ShiftOpenDetail>;

export const CashMoveDetail = z.strictObject({ amount: MinorUnits.min(1), reason: Reason });
export type CashMoveDetail = z.infer<typeof CashMoveDetail>;

/** Opening the drawer without a sale: always with a reason and a manager's approval. */
export const DrawerOpenDetail = z.strictObject({ reason: Reason, approvedBy: DocumentId });
export type DrawerOpenDetail = z.infer<typeof DrawerOpenDetail>;

/**
 * Counted cash per denomination, as text so it fits a flat audit detail:
 * "5000x2,1000x3,50x7" — value in minor units, then how many. At most 24 denominations.
 */
export const DenominationCounts = z
  .string()
  .max(200)
  .regex(/^(\d{1,7}x\d{1,5})(,\d{1,7}x\d{1,5}){0,23}$|^$/, 'Counts look like 5000x2,1000x3.');

export function formatDenominationCounts(counts: ReadonlyMap<number, number>): string {
  return [...counts.entries()]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => b - a)
    .map(([value, count]) => `${String(value)}x${String(count)}`)
    .join(',');
}

export function parseDenominationCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  if (DenominationCounts.parse(text) === '') return counts;
  for (const part of text.split(',')) {
    const [value, count] = part.split('x').map(Number) as [number, number];
    counts.set(value, (counts.get(value) ?? 0) + count);
  }
  return counts;
}

export function countedTotal(counts: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [value, count] of counts) total += value * count;
  return total;
}

/** What closing a shift records: the drawer as counted against what it should hold. */
export const ShiftCloseDetail = z.strictObject({
  counts: DenominationCounts,
  countedCash: MinorUnits,
  expectedCash: MinorUnits,
  /** countedCash − expectedCash: negative is cash missing. */
  variance: z.int(),
  salesCount: z.int().min(0),
  salesTotal: MinorUnits,
  firstReceipt: z.string().max(20).nullable(),
  lastReceipt: z.string().max(20).nullable(),
});
export type ShiftCloseDetail = z.infer<typeof ShiftCloseDetail>;

/** A manager's approval; `staffId` of the event is the manager, `subjectId` what was approved. */
export const APPROVAL_ACTIONS = ['void', 'refund', 'discount', 'drawer_open', 'unlock'] as const;
export const ApprovalAction = z.enum(APPROVAL_ACTIONS);
export type ApprovalAction = z.infer<typeof ApprovalAction>;
export const ApprovalDetail = z.strictObject({
  action: ApprovalAction,
  /** The staff member who asked for it. */
  requestedBy: DocumentId,
});
export type ApprovalDetail = z.infer<typeof ApprovalDetail>;

export const SignInDetail = z.strictObject({
  outcome: z.enum(['success', 'wrong_pin', 'locked', 'idle_lock', 'manual']),
});
export type SignInDetail = z.infer<typeof SignInDetail>;

/** The detail schema of each kind whose detail has a fixed shape. */
export const DETAIL_OF_KIND: Partial<Record<AuditKind, z.ZodType>> = {
  shift_open: ShiftOpenDetail,
  cash_in: CashMoveDetail,
  cash_out: CashMoveDetail,
  drawer_open: DrawerOpenDetail,
  shift_close: ShiftCloseDetail,
  approval: ApprovalDetail,
  sign_in: SignInDetail,
  sign_out: SignInDetail,
};

/** The event's detail parsed by its kind's schema, or null when it does not fit. */
export function detailOf<T>(
  event: Pick<AuditEvent, 'kind' | 'detail'>,
  schema: z.ZodType<T>,
): T | null {
  const parsed = schema.safeParse(event.detail);
  return parsed.success ? parsed.data : null;
}
