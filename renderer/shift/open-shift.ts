import type { Observable } from 'rxjs';
import { distinctUntilChanged, from, startWith, switchMap } from 'rxjs';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import { ShiftOpenDetail, detailOf } from '../../shared/shift/shift-events.ts';
import type { EntitleDatabase } from '../data/database.ts';

export type OpenShift = {
  readonly shiftId: string;
  readonly openedAt: string;
  readonly float: number;
  readonly currency: string;
  readonly openedBy: string | null;
  /** The seq of its shift_open event: where its facts start in the chain. */
  readonly openSeq: number;
};

/**
 * Where the last derivation stopped: the shift then open and the last seq read. Only a hint, like
 * record-audit's tail: it is checked against the stored events before it is believed, and the
 * walk goes forward from it over the seq index, so finding the open shift never scans the
 * whole chain backwards (Dexie reads a full range for a descending sort).
 */
const HINT_ID = 'open-shift';
type OpenShiftHint = { readonly open: OpenShift | null; readonly upToSeq: number };

/** Where each shift of this terminal sits in the chain, for its report after a reload. */
const placeId = (shiftId: string) => `shift-${shiftId}`;
export type ShiftPlace = { readonly openSeq: number; readonly closeSeq: number | null };

async function eventAtSeq(db: EntitleDatabase, seq: number): Promise<AuditEvent | null> {
  const doc = await db.audit_events.findOne({ selector: { seq } }).exec();
  return doc ? doc.toMutableJSON() : null;
}

/** The events after `seq`, oldest first, bounded by the seq index. */
export async function eventsAfter(db: EntitleDatabase, seq: number): Promise<AuditEvent[]> {
  const docs = await db.audit_events
    .find({ selector: { seq: { $gt: seq } }, sort: [{ seq: 'asc' }] })
    .exec();
  return docs.map((doc) => doc.toMutableJSON());
}

async function trustedHint(db: EntitleDatabase): Promise<OpenShiftHint> {
  const stored = await db.getLocal<OpenShiftHint>(HINT_ID);
  const hint = stored ? (stored.toJSON().data as OpenShiftHint) : null;
  if (!hint || hint.upToSeq === 0) return { open: null, upToSeq: 0 };
  // A restored backup, or a hint from a chain that is no longer there: derive from the start.
  const last = await eventAtSeq(db, hint.upToSeq);
  if (!last) return { open: null, upToSeq: 0 };
  if (hint.open) {
    const opening = await eventAtSeq(db, hint.open.openSeq);
    if (opening?.kind !== 'shift_open' || opening.subjectId !== hint.open.shiftId) {
      return { open: null, upToSeq: 0 };
    }
  }
  return hint;
}

/**
 * The terminal's open shift: the latest shift_open without a later shift_close of the same
 * shift, read from the local audit chain. Opening a new shift while one is open is refused by
 * openShift, so "latest open" and "the open one" are the same.
 */
export async function findOpenShift(db: EntitleDatabase): Promise<OpenShift | null> {
  const hint = await trustedHint(db);
  let open = hint.open;
  let upToSeq = hint.upToSeq;
  for (const event of await eventsAfter(db, upToSeq)) {
    upToSeq = event.seq;
    if (event.kind === 'shift_open' && event.subjectId !== null) {
      const detail = detailOf(event, ShiftOpenDetail);
      if (!detail) continue;
      open = {
        shiftId: event.subjectId,
        openedAt: event.createdAt,
        float: detail.float,
        currency: detail.currency,
        openedBy: event.staffId,
        openSeq: event.seq,
      };
      await db.upsertLocal<ShiftPlace>(placeId(event.subjectId), {
        openSeq: event.seq,
        closeSeq: null,
      });
    } else if (event.kind === 'shift_close' && event.subjectId !== null) {
      const place = await shiftPlace(db, event.subjectId);
      if (place)
        await db.upsertLocal<ShiftPlace>(placeId(event.subjectId), {
          ...place,
          closeSeq: event.seq,
        });
      if (open?.shiftId === event.subjectId) open = null;
    }
  }
  if (upToSeq !== hint.upToSeq) await db.upsertLocal<OpenShiftHint>(HINT_ID, { open, upToSeq });
  return open;
}

/** Where a shift of this terminal opened and closed in the chain, or null if unknown here. */
export async function shiftPlace(db: EntitleDatabase, shiftId: string): Promise<ShiftPlace | null> {
  const stored = await db.getLocal<ShiftPlace>(placeId(shiftId));
  if (stored) return stored.toJSON().data;
  // Not remembered (a database from before shifts had places): find it the slow way, once.
  const docs = await db.audit_events.find({ selector: { subjectId: shiftId } }).exec();
  const events = docs.map((doc) => doc.toMutableJSON());
  const opening = events.find((event) => event.kind === 'shift_open');
  if (!opening) return null;
  const closing = events.find((event) => event.kind === 'shift_close');
  return { openSeq: opening.seq, closeSeq: closing?.seq ?? null };
}

/** The open shift, re-derived whenever an audit event is written (a cheap forward walk). */
export function openShift$(db: EntitleDatabase): Observable<OpenShift | null> {
  return db.audit_events.insert$.pipe(
    startWith(null),
    switchMap(() => from(findOpenShift(db))),
    distinctUntilChanged((a, b) => a?.shiftId === b?.shiftId),
  );
}
