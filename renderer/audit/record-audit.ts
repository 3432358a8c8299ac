import type { AuditDetail, AuditEvent, AuditKind } from '../../shared/audit/audit-event.ts';
import { appendAuditEvent } from '../../shared/audit/audit-chain.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';

/** The local document that remembers the chain's last seq: a hint, checked on every append. */
const TAIL_ID = 'audit-tail';
type TailHint = { seq: number };

export type AuditRecord = {
  readonly kind: AuditKind;
  readonly staffId: string | null;
  readonly subjectId: string | null;
  readonly detail: AuditDetail;
};

export type AuditDeps = { readonly now: () => Date };
const defaultDeps: AuditDeps = { now: () => new Date() };

/** An audit event's id: its terminal and place in the chain, so a seq can be taken only once. */
export function auditEventId(terminalId: string, seq: number): string {
  return `${terminalId}_${String(seq)}`;
}

/**
 * Appends one event to this terminal's audit chain (shared/audit) and returns it. Works offline.
 *
 * The id is derived from the seq, so if two windows append at once both try to insert the same
 * id: RxDB refuses the second insert (a conflict), and that window reads the event that won,
 * moves past it and tries again. The chain therefore never forks. The tail hint is only a
 * starting point: the loop walks forward over any events the hint has not heard of yet.
 */
export async function recordAudit(
  db: EntitleDatabase,
  credentials: Pick<TerminalCredentials, 'storeId' | 'terminalId'>,
  record: AuditRecord,
  deps: AuditDeps = defaultDeps,
): Promise<AuditEvent> {
  const hint = await db.getLocal<TailHint>(TAIL_ID);
  let seq: number = hint ? (hint.toJSON().data as TailHint).seq : 0;
  let previous = seq === 0 ? null : await eventAt(db, credentials.terminalId, seq);
  if (seq > 0 && previous === null) {
    // The hint points past what is stored (a restored backup): start again from the beginning.
    seq = 0;
  }
  for (;;) {
    const existing = await eventAt(db, credentials.terminalId, seq + 1);
    if (existing) {
      previous = existing;
      seq += 1;
      continue;
    }
    const event = await appendAuditEvent(previous, {
      id: auditEventId(credentials.terminalId, seq + 1),
      storeId: credentials.storeId,
      terminalId: credentials.terminalId,
      kind: record.kind,
      staffId: record.staffId,
      subjectId: record.subjectId,
      detail: record.detail,
      createdAt: deps.now().toISOString(),
    });
    try {
      await db.audit_events.insert(event);
    } catch (error) {
      if (!isConflict(error)) throw error;
      continue; // another window took this seq; the loop reads it and moves on
    }
    await db.upsertLocal<TailHint>(TAIL_ID, { seq: event.seq });
    return event;
  }
}

async function eventAt(
  db: EntitleDatabase,
  terminalId: string,
  seq: number,
): Promise<AuditEvent | null> {
  if (seq < 1) return null;
  const doc = await db.audit_events.findOne(auditEventId(terminalId, seq)).exec();
  return doc ? doc.toMutableJSON() : null;
}

function isConflict(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === 'CONFLICT' ||
      (error as { status?: unknown }).status === 409 ||
      /conflict/i.test(String((error as { message?: unknown }).message)))
  );
}
