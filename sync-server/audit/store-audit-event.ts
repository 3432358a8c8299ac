import { AuditEvent } from '../../shared/audit/audit-event.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { DETAIL_OF_KIND } from '../../shared/shift/shift-events.ts';
import type { AuditEventsTable, Db, Trx } from '../db/schema.ts';
import { insertRows, paddedKeys } from '../db/insert-rows.ts';
import { isoNow, type Clock } from '../deps.ts';
import { describeIssues } from '../http/errors.ts';
import { projectShiftEvent } from '../shifts/project-shift.ts';
import { parsePushedFact } from '../sync/push-facts.ts';
import { hasOwnHash } from './hash-event.ts';
import { verifyTerminal, type AuditStatus } from './verify-terminal.ts';
import { inTransaction } from '../db/transaction.ts';

export type AuditEventCheck =
  | { readonly ok: true; readonly event: AuditEvent }
  | { readonly ok: false; readonly reason: string };

/**
 * What can be checked without the database: the shared schema, the detail its kind prescribes,
 * and that the event's own hash matches its content. An event whose hash does not match was
 * changed after it was recorded and proves nothing, so it is refused (the terminal keeps it and
 * shows the reason); an event that is right in itself but does not fit the chain is stored and
 * flagged by the chain check, because it is the evidence.
 */
export function checkAuditEvent(document: unknown): AuditEventCheck {
  const parsed = parsePushedFact(document, AuditEvent, {
    noun: 'audit event',
    deleted: 'Audit events cannot be deleted; the chain keeps every one.',
  });
  if (!parsed.ok) return parsed;
  const event = parsed.value;
  const detailSchema = DETAIL_OF_KIND[event.kind];
  if (detailSchema) {
    const detail = detailSchema.safeParse(event.detail);
    if (!detail.success) {
      return {
        ok: false,
        reason: `The detail of ${event.kind} event ${event.seq} is not valid: ${describeIssues(detail.error).replace(/\.$/, '')}.`,
      };
    }
  }
  if (!hasOwnHash(event)) {
    return {
      ok: false,
      reason: `Audit event ${event.seq} does not match its own hash: it was changed after it was recorded, so the server did not store it. Tell a manager.`,
    };
  }
  return { ok: true, event };
}

export type AuditStoreOutcome =
  | { readonly kind: 'written'; readonly status: AuditStatus }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: string };

/**
 * Stores a checked event, verifies the terminal's chain and projects a shift event, in ONE
 * transaction: the event and the verdict on it are never seen apart. The same event again is a
 * harmless retry; another body under a stored id is refused, and the first copy stands.
 */
export async function storeAuditEvent(
  db: Db,
  event: AuditEvent,
  deps: { readonly clock: Clock },
): Promise<AuditStoreOutcome> {
  const [outcome] = await inTransaction(db, (trx) => writeAuditEvents(trx, [event], deps));
  if (outcome === undefined) throw new Error('writeAuditEvents answered no outcome.');
  return outcome;
}

/**
 * storeAuditEvent for a pushed batch inside the caller's transaction, each event answered as if
 * stored on its own, in order (a second copy of an event in the batch is a duplicate). The new
 * events are inserted together and each terminal's chain is verified once, from the lowest seq
 * that arrived, instead of once per event: verification from any start gives the same verdict
 * (verify-terminal.ts), so the batch's written events all carry the verdict after the batch.
 */
export async function writeAuditEvents(
  trx: Trx,
  events: readonly AuditEvent[],
  deps: { readonly clock: Clock },
): Promise<AuditStoreOutcome[]> {
  const stored = new Map<string, string>();
  const ids = [...new Set(events.map((event) => event.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('audit_events')
      .select(['id', 'body'])
      .where('id', 'in', paddedKeys(ids.slice(i, i + CHUNK)))
      .execute();
    for (const row of rows) stored.set(row.id, row.body);
  }
  const receivedAt = isoNow(deps.clock);
  const written: AuditEvent[] = [];
  const bodies = new Map<string, { body: string; event: AuditEvent }>();
  const rows: AuditEventsTable[] = [];
  const outcomes: (AuditStoreOutcome | null)[] = events.map((event) => {
    const body = canonicalJson(event);
    const existing = stored.get(event.id);
    if (existing !== undefined) {
      return existing === body
        ? { kind: 'duplicate' }
        : {
            kind: 'rejected',
            reason: `A different copy of audit event ${event.id} is already on the server; the first copy stands. Tell a manager.`,
          };
    }
    stored.set(event.id, body);
    written.push(event);
    bodies.set(event.id, { body, event });
    rows.push({
      id: event.id,
      store_id: event.storeId,
      terminal_id: event.terminalId,
      seq: event.seq,
      prev_hash: event.prevHash,
      hash: event.hash,
      kind: event.kind,
      staff_id: event.staffId,
      subject_id: event.subjectId,
      body,
      created_at: event.createdAt,
      received_at: receivedAt,
    });
    return null;
  });
  await insertRows(trx, 'audit_events', rows);
  const statuses = new Map<string, AuditStatus>();
  for (const terminalId of new Set(written.map((event) => event.terminalId))) {
    const own = written.filter((event) => event.terminalId === terminalId);
    const first = own[0];
    if (first === undefined) continue;
    const fromSeq = Math.min(...own.map((event) => event.seq));
    statuses.set(
      terminalId,
      await verifyTerminal(trx, { id: terminalId, storeId: first.storeId }, deps.clock, {
        fromSeq,
        written: bodies,
      }),
    );
  }
  for (const event of written) await projectShiftEvent(trx, event);
  return outcomes.map((outcome, index) => {
    if (outcome !== null) return outcome;
    const status = statuses.get(events[index]?.terminalId ?? '');
    if (status === undefined) throw new Error('A written audit event has no verdict.');
    return { kind: 'written', status };
  });
}

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;
