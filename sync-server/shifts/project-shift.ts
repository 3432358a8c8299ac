import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import {
  CashMoveDetail,
  detailOf,
  ShiftCloseDetail,
  ShiftOpenDetail,
} from '../../shared/shift/shift-events.ts';
import { parseStoredEvent } from '../audit/stored-event.ts';
import type { DbOrTrx, ShiftsTable } from '../db/schema.ts';

/** The audit event kinds that change a shift's row; their subjectId is the shift's id. */
export const SHIFT_KINDS = ['shift_open', 'cash_in', 'cash_out', 'shift_close'] as const;
type ShiftKind = (typeof SHIFT_KINDS)[number];

const isShiftKind = (kind: string): kind is ShiftKind =>
  (SHIFT_KINDS as readonly string[]).includes(kind);

/**
 * The `shifts` row as a pure function of the shift's stored events, so duplicates, retries and
 * any arrival order give the same row: a close that arrives before its open makes a row from
 * what is known (no float, opened when the first known event happened), and the open fills it
 * in when it comes. One event per seq: of two events claiming a seq (a fork, flagged by the
 * chain check) only the one the chain continues from counts, else the first to arrive.
 */
export function shiftRowOf(
  shiftId: string,
  events: readonly AuditEvent[],
  /** Hashes the chain continues from: where two events claim a seq, the followed one counts. */
  followed: ReadonlySet<string> = new Set(),
): ShiftsTable | null {
  const bySeq = new Map<number, AuditEvent>();
  for (const event of events) {
    const earlier = bySeq.get(event.seq);
    if (!earlier || (!followed.has(earlier.hash) && followed.has(event.hash))) {
      bySeq.set(event.seq, event);
    }
  }
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const first = ordered[0];
  if (first === undefined) return null;
  const open = ordered.find((e) => e.kind === 'shift_open');
  const openDetail = open ? detailOf(open, ShiftOpenDetail) : null;
  const close = ordered.find((e) => e.kind === 'shift_close');
  const closeDetail = close ? detailOf(close, ShiftCloseDetail) : null;
  const moved = (kind: 'cash_in' | 'cash_out'): number =>
    ordered
      .filter((e) => e.kind === kind)
      .reduce((sum, e) => sum + (detailOf(e, CashMoveDetail)?.amount ?? 0), 0);
  return {
    id: shiftId,
    store_id: first.storeId,
    terminal_id: first.terminalId,
    opened_by: open?.staffId ?? null,
    opened_at: (open ?? first).createdAt,
    float: openDetail?.float ?? 0,
    cash_in: moved('cash_in'),
    cash_out: moved('cash_out'),
    closed_by: close?.staffId ?? null,
    closed_at: close?.createdAt ?? null,
    close_detail: closeDetail === null ? null : JSON.stringify(closeDetail),
  };
}

/**
 * Projects a shift event that was just stored into `shifts`, inside the push's transaction.
 * Other kinds, and events without a shift, change nothing.
 */
export async function projectShiftEvent(trx: DbOrTrx, event: AuditEvent): Promise<void> {
  if (!isShiftKind(event.kind) || event.subjectId === null) return;
  const rows = await trx
    .selectFrom('audit_events')
    .select('body')
    .where('store_id', '=', event.storeId)
    .where('terminal_id', '=', event.terminalId)
    .where('subject_id', '=', event.subjectId)
    .where('kind', 'in', SHIFT_KINDS)
    .orderBy('seq')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  // A body edited in the table is the chain check's finding; the projection just skips it.
  const events = rows.flatMap((row) => parseStoredEvent(row.body) ?? []);
  const seqs = events.map((e) => e.seq);
  const forked = [...new Set(seqs.filter((seq, i) => seqs.indexOf(seq) !== i))];
  const next =
    forked.length === 0
      ? []
      : await trx
          .selectFrom('audit_events')
          .select('prev_hash')
          .where('terminal_id', '=', event.terminalId)
          .where(
            'seq',
            'in',
            forked.map((seq) => seq + 1),
          )
          .execute();
  const row = shiftRowOf(event.subjectId, events, new Set(next.map((r) => r.prev_hash)));
  if (row === null) return;
  const { id: _id, ...changes } = row;
  await trx
    .insertInto('shifts')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

/** A shift as the dashboard and reports read it. */
export type Shift = {
  readonly id: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly openedBy: string | null;
  readonly openedAt: string;
  readonly float: number;
  readonly cashIn: number;
  readonly cashOut: number;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly close: ShiftCloseDetail | null;
};

export function toShift(row: ShiftsTable): Shift {
  return {
    id: row.id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    float: row.float,
    cashIn: row.cash_in,
    cashOut: row.cash_out,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    close: row.close_detail === null ? null : ShiftCloseDetail.parse(JSON.parse(row.close_detail)),
  };
}

/** A store's shifts, newest opening first (device clocks: for display, not for order). */
export async function shiftsOfStore(db: DbOrTrx, storeId: string, limit = 100): Promise<Shift[]> {
  const rows = await db
    .selectFrom('shifts')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('opened_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toShift);
}
