import type { Observable } from 'rxjs';
import { from, map, switchMap } from 'rxjs';
import type { AuditChainReport } from '../../shared/audit/audit-chain.ts';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EntitleDatabase } from '../data/database.ts';

export const AUDIT_PAGE_SIZE = 20;

export type AuditPage = {
  readonly events: readonly AuditEvent[];
  /** Events in the chain, so the number of pages. */
  readonly total: number;
};

/**
 * One page of the terminal's audit trail, latest first. The chain is numbered 1…N without gaps,
 * so page k is the seq range (N − (k+1)·size, N − k·size]: read ascending over the seq index and
 * reversed in memory, never a descending scan (DESIGN "Sync").
 */
export function auditPage$(db: EntitleDatabase, page: number): Observable<AuditPage> {
  return db.audit_events.count().$.pipe(
    switchMap((total) => {
      const highest = total - page * AUDIT_PAGE_SIZE;
      const lowest = Math.max(1, highest - AUDIT_PAGE_SIZE + 1);
      return from(
        db.audit_events
          .find({
            selector: { seq: { $gte: lowest, $lte: highest } },
            sort: [{ seq: 'asc' }],
          })
          .exec(),
      ).pipe(map((docs) => ({ events: docs.map((doc) => doc.toMutableJSON()).reverse(), total })));
    }),
  );
}

/** The whole local chain checked (shared/audit): intact, or where and how it broke. */
export function chainCheck$(db: EntitleDatabase): Observable<AuditChainReport & { count: number }> {
  return db.audit_events.count().$.pipe(
    switchMap(() =>
      from(
        (async () => {
          const docs = await db.audit_events.find({ sort: [{ seq: 'asc' }] }).exec();
          const events = docs.map((doc) => doc.toMutableJSON());
          return { ...(await verifyAuditChain(events)), count: events.length };
        })(),
      ),
    ),
  );
}

/** "Audit chain intact (12 events)", or the first problem in the manager's words. */
export function describeChain(report: AuditChainReport & { count: number }): string {
  const first = report.problems[0];
  if (report.ok || !first) return `Audit chain intact (${String(report.count)} events)`;
  return `Audit chain broken at event ${String(first.seq)}: ${first.message}`;
}
