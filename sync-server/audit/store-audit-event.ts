import { AuditEvent, hashAuditEvent } from '../../shared/audit/audit-event.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { DETAIL_OF_KIND } from '../../shared/shift/shift-events.ts';
import type { Db } from '../db/schema.ts';
import { isoNow, type Clock } from '../deps.ts';
import { describeIssues } from '../http/errors.ts';
import { projectShiftEvent } from '../shifts/project-shift.ts';
import { parsePushedFact } from '../sync/push-facts.ts';
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
export async function checkAuditEvent(document: unknown): Promise<AuditEventCheck> {
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
  if ((await hashAuditEvent(event)) !== event.hash) {
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
export function storeAuditEvent(
  db: Db,
  event: AuditEvent,
  deps: { readonly clock: Clock },
): Promise<AuditStoreOutcome> {
  const body = canonicalJson(event);
  return inTransaction(db, async (trx): Promise<AuditStoreOutcome> => {
    const existing = await trx
      .selectFrom('audit_events')
      .select('body')
      .where('id', '=', event.id)
      .executeTakeFirst();
    if (existing) {
      return existing.body === body
        ? { kind: 'duplicate' }
        : {
            kind: 'rejected',
            reason: `A different copy of audit event ${event.id} is already on the server; the first copy stands. Tell a manager.`,
          };
    }
    await trx
      .insertInto('audit_events')
      .values({
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
        received_at: isoNow(deps.clock),
      })
      .execute();
    const status = await verifyTerminal(
      trx,
      { id: event.terminalId, storeId: event.storeId },
      deps.clock,
      { fromSeq: event.seq },
    );
    await projectShiftEvent(trx, event);
    return { kind: 'written', status };
  });
}
