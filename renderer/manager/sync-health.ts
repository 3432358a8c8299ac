import type { Observable } from 'rxjs';
import { combineLatest, map, scan } from 'rxjs';
import type { EntitleDatabase } from '../data/database.ts';

/**
 * Documents this terminal wrote that the server has not acknowledged: sales, voids, refunds and
 * audit events. Each is acknowledged by its own id in sync_acks (ids never repeat across these
 * collections: audit ids are `<terminalId>_<seq>`, the others UUIDs or derived from a sale).
 */
export function pendingDocuments$(db: EntitleDatabase): Observable<number> {
  return combineLatest([
    db.sales.count().$,
    db.voids.count().$,
    db.refunds.count().$,
    db.audit_events.count().$,
    db.sync_acks.count().$,
  ]).pipe(
    map(([sales, voids, refunds, events, acknowledged]) =>
      Math.max(0, sales + voids + refunds + events - acknowledged),
    ),
  );
}

/** An upload of a backlog: the most that was waiting since the queue was last empty, and now. */
export type Backlog = { readonly peak: number; readonly pending: number };

/**
 * Follows the pending count: a backlog starts when documents are waiting and ends when none
 * are. Its peak only grows (sales made during the upload join it), so the bar never goes back.
 */
export function nextBacklog(previous: Backlog | null, pending: number): Backlog | null {
  if (pending <= 0) return null;
  return { peak: Math.max(previous?.peak ?? 0, pending), pending };
}

/** How far the upload has come, 0–100, for a progress bar's aria-valuenow. */
export function uploadedPercent(backlog: Backlog): number {
  if (backlog.peak === 0) return 100;
  return Math.floor(((backlog.peak - backlog.pending) * 100) / backlog.peak);
}

export function backlog$(pending$: Observable<number>): Observable<Backlog | null> {
  return pending$.pipe(scan<number, Backlog | null>(nextBacklog, null));
}
