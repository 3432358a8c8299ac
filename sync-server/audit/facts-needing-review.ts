import { Sale } from '../../shared/schemas/sale.ts';
import { canApprove, StaffRole } from '../../shared/staff/staff-member.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { ensureStoreSettings } from '../staff/store-settings.ts';
import type { Clock } from '../deps.ts';

export type ReviewKind = 'void' | 'refund' | 'discount';

/** A fact the counter accepted that a manager should look at, with the reason in a sentence. */
export type FactForReview = {
  readonly kind: ReviewKind;
  /** The void's, refund's or sale's id. */
  readonly id: string;
  readonly saleId: string;
  readonly receiptNumber: string;
  readonly terminalId: string;
  readonly staffId: string | null;
  readonly approvedBy: string | null;
  /** The device clock. */
  readonly createdAt: string;
  readonly reason: string;
};

const WORDS: Record<ReviewKind, string> = {
  void: 'void',
  refund: 'refund',
  discount: 'discount',
};

/** Null when the approval stands; else why not, judged by the approver's role today. */
function approvalProblem(
  kind: ReviewKind,
  approvedBy: string | null,
  roles: ReadonlyMap<string, string>,
): string | null {
  if (approvedBy === null) return `No manager approved this ${WORDS[kind]}.`;
  const role = StaffRole.safeParse(roles.get(approvedBy));
  if (!role.success) return `The approver ${approvedBy} is not known to this server.`;
  return canApprove(role.data)
    ? null
    : `Approved by ${approvedBy}, who is a ${role.data} now, not a manager.`;
}

type Candidate = Omit<FactForReview, 'reason'>;

/**
 * Voids, refunds and discounts above the store's limit whose approval does not stand: none, or
 * by someone who is not a manager or admin by their role today. The counter accepted them
 * offline (roles change; the fact happened), so they are kept and shown, not refused.
 * Discounts are judged by the whole sale's share (discountTotal of subtotal) against the store's
 * current limit; only sales with a discount are read. Newest first, at most `limit` of each kind.
 */
export async function factsNeedingReview(
  db: DbOrTrx,
  storeId: string,
  clock: Clock,
  limit = 200,
): Promise<FactForReview[]> {
  const settings = await ensureStoreSettings(db, storeId, clock);
  /** The latest voids or refunds with who took the sale back and who approved it. */
  const reversals = async (table: 'sale_voids' | 'sale_refunds', kind: 'void' | 'refund') => {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'sale_id', 'receipt_number', 'terminal_id', 'body', 'created_at'])
      .where('store_id', '=', storeId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row): Candidate => {
      const parsed = JSON.parse(row.body) as {
        staffId?: string | null;
        approvedBy?: string | null;
      };
      return {
        kind,
        id: row.id,
        saleId: row.sale_id,
        receiptNumber: row.receipt_number,
        terminalId: row.terminal_id,
        createdAt: row.created_at,
        staffId: parsed.staffId ?? null,
        approvedBy: parsed.approvedBy ?? null,
      };
    });
  };
  const voids = await reversals('sale_voids', 'void');
  const refunds = await reversals('sale_refunds', 'refund');
  // Canonical JSON has one spelling of "no discount", so undiscounted sales are never parsed.
  const discounted = await db
    .selectFrom('sales')
    .select(['id', 'terminal_id', 'body'])
    .where('store_id', '=', storeId)
    .where('body', 'not like', '%"discountTotal":0,%')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();

  const candidates: Candidate[] = [
    ...voids,
    ...refunds,
    ...discounted.flatMap((row) => {
      const sale = Sale.safeParse(JSON.parse(row.body));
      if (!sale.success || sale.data.subtotal === 0) return [];
      const milliPercent = (sale.data.discountTotal * 100_000) / sale.data.subtotal;
      if (milliPercent <= settings.discount_approval_milli_percent) return [];
      return [
        {
          kind: 'discount' as const,
          id: sale.data.id,
          saleId: sale.data.id,
          receiptNumber: sale.data.receiptNumber,
          terminalId: row.terminal_id,
          createdAt: sale.data.createdAt,
          staffId: sale.data.staffId,
          approvedBy: sale.data.discountApprovedBy,
        },
      ];
    }),
  ];

  const approvers = [
    ...new Set(candidates.flatMap((c) => (c.approvedBy === null ? [] : [c.approvedBy]))),
  ];
  const roles = new Map(
    approvers.length === 0
      ? []
      : (
          await db.selectFrom('staff').select(['id', 'role']).where('id', 'in', approvers).execute()
        ).map((row) => [row.id, row.role] as const),
  );
  return candidates
    .flatMap((candidate) => {
      const reason = approvalProblem(candidate.kind, candidate.approvedBy, roles);
      return reason === null ? [] : [{ ...candidate, reason }];
    })
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
