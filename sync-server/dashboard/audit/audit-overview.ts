import type { FlaggedRefund } from '../../../shared/schemas/refund-api.ts';
import { auditStatusOf, type AuditStatus } from '../../audit/verify-terminal.ts';
import { factsNeedingReview, type FactForReview } from '../../audit/facts-needing-review.ts';
import { salesWithoutAuditEvent, type UnauditedSale } from '../../audit/sales-without-audit.ts';
import type { Db } from '../../db/schema.ts';
import type { Clock } from '../../deps.ts';
import { flaggedRefundsOfStore } from '../../refunds/routes.ts';
import type { VisibleStore } from '../visible-stores.ts';

export type TerminalAudit = {
  readonly id: string;
  readonly name: string;
  readonly revoked: boolean;
  /** null: no audit event has arrived from it yet. */
  readonly status: AuditStatus | null;
  /** The newest event's time on the terminal's clock, and when the server received it. */
  readonly lastEventAt: string | null;
  readonly lastReceivedAt: string | null;
  readonly unauditedSales: readonly UnauditedSale[];
};

export type StoreAudit = {
  readonly store: VisibleStore;
  readonly terminals: readonly TerminalAudit[];
  readonly review: readonly FactForReview[];
  readonly flagged: readonly FlaggedRefund[];
};

/**
 * Everything the audit page says about the user's stores: each terminal's chain (intact through
 * seq N, or where it broke and every problem), its sales without an audit event, the voids,
 * refunds and discounts whose approval does not stand, and refunds flagged on arrival.
 */
export async function auditOverview(
  db: Db,
  stores: readonly VisibleStore[],
  clock: Clock,
): Promise<StoreAudit[]> {
  const result: StoreAudit[] = [];
  for (const store of stores) {
    const terminals = await db
      .selectFrom('terminals')
      .select(['id', 'name', 'revoked_at'])
      .where('store_id', '=', store.id)
      .orderBy('name')
      .execute();
    const audits: TerminalAudit[] = [];
    for (const terminal of terminals) {
      const last = await db
        .selectFrom('audit_events')
        .select(['created_at', 'received_at'])
        .where('terminal_id', '=', terminal.id)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      audits.push({
        id: terminal.id,
        name: terminal.name,
        revoked: terminal.revoked_at !== null,
        status: await auditStatusOf(db, terminal.id),
        lastEventAt: last?.created_at ?? null,
        lastReceivedAt: last?.received_at ?? null,
        unauditedSales: await salesWithoutAuditEvent(db, terminal.id),
      });
    }
    // Broken chains first: that is what the manager opened the page for.
    audits.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    result.push({
      store,
      terminals: audits,
      review: await factsNeedingReview(db, store.id, clock),
      flagged: await flaggedRefundsOfStore(db, store.id),
    });
  }
  return result;
}

function rank(terminal: TerminalAudit): number {
  if (terminal.status?.status === 'broken') return 0;
  if (terminal.unauditedSales.length > 0) return 1;
  return 2;
}
