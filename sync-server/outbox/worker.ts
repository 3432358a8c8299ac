import { isPostgres } from '../db/connection.ts';
import type { Db, OutboxTable } from '../db/schema.ts';
import { isoNow, type Clock } from '../deps.ts';

/** What a handler receives: the row's identity and its parsed payload. */
export type OutboxDelivery = {
  readonly id: string;
  readonly kind: string;
  readonly idempotencyKey: string;
  readonly payload: unknown;
  /** 1 on the first try. */
  readonly attempt: number;
};

/**
 * Delivers one job; throws to have it retried. A handler may run more than once for a job (a
 * crash after sending, before the row is marked): pass the idempotency key downstream.
 */
export type OutboxHandler = (delivery: OutboxDelivery) => Promise<void>;

export type OutboxLogger = {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
};

export type OutboxWorkerOptions = {
  readonly db: Db;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, OutboxHandler>>;
  readonly logger: OutboxLogger;
  /** Rows claimed per runOnce; default 20. */
  readonly batchSize?: number;
  /** Pause between runs of the start() loop; default 2 s. */
  readonly pollMs?: number;
};

export type OutboxRunResult = { sent: number; retried: number; failed: number };

export type OutboxWorker = {
  /** Delivers the rows that are due now, once each; resolves when they are all settled. */
  runOnce(): Promise<OutboxRunResult>;
  /** Polls every pollMs until stop(). Never throws; problems go to the logger. */
  start(): void;
  /** Ends the loop and waits for a run in progress. Safe to call twice. */
  stop(): Promise<void>;
};

export const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 3_600_000;
/**
 * How long a claimed row stays hidden from other workers. A worker that dies mid-delivery
 * loses its lease and the row is delivered again after it, under the same idempotency key;
 * mailers time out well before it (mail/smtp-mailer.ts).
 */
export const LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 1_000;

/** The wait after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at one hour. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failedAttempts - 1), BACKOFF_CAP_MS);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/** JSON that no longer parses is the handler's problem to report, as a failed attempt. */
function parsePayload(text: string): unknown {
  return JSON.parse(text) as unknown;
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, clock, handlers, logger } = options;
  const batchSize = options.batchSize ?? 20;
  const pollMs = options.pollMs ?? 2_000;

  /**
   * Claims the next due row and writes its lease in one statement (one short transaction), so
   * of several workers, in one process or on several server instances, only one ever holds a
   * row. On PostgreSQL the row is picked `FOR UPDATE SKIP LOCKED`: a row another worker is
   * claiming right now is skipped, never waited for, and re-checked after its commit (its new
   * lease makes it not due). SQLite runs one write at a time, so the statement is already
   * alone. Not inTransaction: SERIALIZABLE would turn two claims into a retried conflict for
   * no gain, and the statement leaves nothing half-written.
   */
  async function claimNext(): Promise<OutboxTable | undefined> {
    const now = isoNow(clock);
    const due = db
      .selectFrom('outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(1)
      .$if(isPostgres(db), (query) => query.forUpdate().skipLocked());
    return db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: new Date(clock().getTime() + LEASE_MS).toISOString(),
      }))
      .where('id', '=', due)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .returningAll()
      .executeTakeFirst();
  }

  async function markSent(row: OutboxTable): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ state: 'sent', sent_at: isoNow(clock), last_error: null })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .execute();
  }

  async function markFailed(row: OutboxTable, attempt: number, error: unknown): Promise<boolean> {
    const finalAttempt = attempt >= MAX_ATTEMPTS;
    const retryAt = new Date(clock().getTime() + backoffMs(attempt)).toISOString();
    await db
      .updateTable('outbox')
      .set({
        state: finalAttempt ? 'failed' : 'pending',
        next_attempt_at: retryAt,
        last_error: errorText(error),
      })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      // A late answer after the lease ran out must not undo another worker's newer claim.
      .where('attempts', '=', attempt)
      .execute();
    const details = { outboxId: row.id, kind: row.kind, attempt, err: error };
    if (finalAttempt) logger.error(details, 'outbox job failed for good');
    else logger.warn(details, 'outbox job failed; will retry');
    return finalAttempt;
  }

  /** `row` as claimed: `attempts` already counts this attempt. */
  async function deliver(row: OutboxTable, result: OutboxRunResult): Promise<void> {
    const attempt = row.attempts;
    try {
      const handler = handlers[row.kind];
      if (handler === undefined) throw new Error(`No handler for outbox kind "${row.kind}".`);
      await handler({
        id: row.id,
        kind: row.kind,
        idempotencyKey: row.idempotency_key,
        payload: parsePayload(row.payload),
        attempt,
      });
    } catch (error) {
      if (await markFailed(row, attempt, error)) result.failed += 1;
      else result.retried += 1;
      return;
    }
    await markSent(row);
    result.sent += 1;
  }

  async function runOnce(): Promise<OutboxRunResult> {
    const result: OutboxRunResult = { sent: 0, retried: 0, failed: 0 };
    // One at a time, each claimed just before it is delivered: mail servers prefer it, and a
    // slow row never holds many leases at once (a lease that ran out would let another worker
    // deliver a row this one still means to).
    for (let n = 0; n < batchSize; n += 1) {
      const row = await claimNext();
      if (row === undefined) break;
      await deliver(row, result);
    }
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().then(
        (result) => {
          const full = result.sent + result.retried + result.failed >= batchSize;
          schedule(full ? 0 : pollMs);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'outbox run failed');
          schedule(pollMs);
        },
      );
    }, delayMs);
  }

  return {
    runOnce,
    start: () => {
      if (timer !== undefined || stopped) return;
      schedule(0);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
