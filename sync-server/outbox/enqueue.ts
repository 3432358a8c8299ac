import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';

/** A side effect to deliver later (DESIGN invariant 5). */
export type OutboxJob = {
  /** Chooses the worker's handler, e.g. 'sale-codes-email'. */
  readonly kind: string;
  /**
   * One effect, one key: enqueueing the same key again is ignored, and handlers pass it on
   * (as the Message-ID of an e-mail) so a resend after a crash is recognisable downstream.
   */
  readonly idempotencyKey: string;
  /** Stored as JSON; keep it to ids and let the handler read the current facts. */
  readonly payload: unknown;
  /** Not delivered before this instant (ISO); e.g. a gift's send date. Default: now. */
  readonly notBefore?: string;
};

/**
 * Writes the job inside the caller's transaction, so it exists exactly when the fact that caused
 * it does: a rollback takes it away too. Returns false when the key was already enqueued.
 * ON CONFLICT … DO NOTHING is understood by SQLite (3.24+) and PostgreSQL alike.
 */
export async function enqueue(
  trx: DbOrTrx,
  job: OutboxJob,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<boolean> {
  const now = isoNow(deps.clock);
  const result = await trx
    .insertInto('outbox')
    .values({
      id: newId('outbox', deps.randomBytes),
      kind: job.kind,
      idempotency_key: job.idempotencyKey,
      payload: JSON.stringify(job.payload ?? null),
      state: 'pending',
      attempts: 0,
      next_attempt_at: job.notBefore !== undefined && job.notBefore > now ? job.notBefore : now,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}
