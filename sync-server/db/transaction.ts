import { sql } from 'kysely';
import type { Db, Trx } from './schema.ts';
import { isPostgres } from './connection.ts';

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent single-statement insert of the same key
]);
const MAX_ATTEMPTS = 5;

/**
 * The key of the advisory lock every writing transaction takes first on PostgreSQL: the
 * server's one-writer lock, shared by every instance on the database.
 */
export const WRITER_LOCK_KEY = 0x656e7469; // "enti"

export function isRetryableConflict(error: unknown): boolean {
  return error instanceof Error && 'code' in error && RETRYABLE.has(String(error.code));
}

function pause(attempt: number): Promise<void> {
  const ms = 10 * 2 ** attempt * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` in one transaction that behaves as if it ran alone, on either engine.
 *
 * SQLite has one writer: its transactions are serial. On PostgreSQL the transaction first takes
 * one advisory lock that every writing transaction of every instance takes, then runs under READ
 * COMMITTED, so each statement after the lock sees everything committed before it: the same
 * one-writer model, so check-then-insert code (a batch pushed twice at once, two instances
 * claiming one code) stays correct. Nearly every write bumps the one change sequence anyway
 * (db/seq.ts), which serialises writers whatever the isolation level; SERIALIZABLE would only add
 * aborted work and retries. Readers never wait. `work` must only touch the database (it may run
 * again after a deadlock); publish and send after it returns.
 */
export async function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return db.transaction().execute(work);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${WRITER_LOCK_KEY})`.execute(trx);
        return work(trx);
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
      await pause(attempt);
    }
  }
}
