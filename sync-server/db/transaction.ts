import type { Db, Trx } from './schema.ts';
import { isPostgres } from './connection.ts';

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent insert of the same key; the retry finds it
]);
const MAX_ATTEMPTS = 12;

export function isRetryableConflict(error: unknown): boolean {
  return error instanceof Error && 'code' in error && RETRYABLE.has(String(error.code));
}

function pause(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` in one transaction that behaves as if it ran alone, on either engine. SQLite has
 * one writer, so its transactions are already serial. PostgreSQL runs them SERIALIZABLE and this
 * re-runs a transaction the database aborted because of a concurrent one (two terminals pushing
 * the same batch, two instances claiming one code): the second run sees the first's rows, so
 * check-then-insert code written for SQLite stays correct. `work` must only touch the
 * database (it may run more than once); publish and send after it returns.
 */
export async function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return db.transaction().execute(work);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
      await pause(attempt);
    }
  }
}
