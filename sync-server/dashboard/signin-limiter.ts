import type { Db } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../deps.ts';

export const SIGNIN_ATTEMPTS = 10;
export const SIGNIN_WINDOW_MS = 15 * 60_000;

export type SigninLimiter = {
  /** ms until `address` and `email` may try again, or null when they may try now. */
  blockedFor(address: string, email: string): Promise<number | null>;
  /** Counts a failed attempt against both. */
  failed(address: string, email: string): Promise<void>;
};

const keysOf = (address: string, email: string): string[] => [
  `address:${address}`,
  `email:${email.trim().toLowerCase()}`,
];

/**
 * Two limits on password guessing: per client address (one machine trying many e-mails) and per
 * e-mail (many machines trying one account): after 10 failed attempts in 15 minutes, every
 * attempt is refused, the right password included, until the oldest failure is 15 minutes old.
 * Only failures count, so managers signing in often from one office are never locked out. The
 * failures are rows (migration 0011), not process memory, so server instances sharing one
 * PostgreSQL share the count instead of each allowing its own 10. Guesses racing on several
 * instances at the very moment of the 10th failure may each get one more try: bounded by how many
 * requests are in flight, not a way around the limit. Rows older than the window are deleted
 * with each new failure, so a flood of addresses costs at most 15 minutes of rows.
 */
export function createSigninLimiter(db: Db, clock: Clock): SigninLimiter {
  return {
    async blockedFor(address, email) {
      const now = clock().getTime();
      let wait: number | null = null;
      for (const key of keysOf(address, email)) {
        const recent = await db
          .selectFrom('signin_failures')
          .select('failed_at')
          .where('key', '=', key)
          .where('failed_at', '>', now - SIGNIN_WINDOW_MS)
          .orderBy('failed_at', 'desc')
          .limit(SIGNIN_ATTEMPTS)
          .execute();
        const oldest = recent[SIGNIN_ATTEMPTS - 1];
        if (oldest !== undefined) {
          wait = Math.max(wait ?? 0, oldest.failed_at + SIGNIN_WINDOW_MS - now);
        }
      }
      return wait;
    },
    async failed(address, email) {
      const now = clock().getTime();
      await inTransaction(db, async (trx) => {
        await trx
          .insertInto('signin_failures')
          .values(keysOf(address, email).map((key) => ({ key, failed_at: now })))
          .execute();
        await trx
          .deleteFrom('signin_failures')
          .where('failed_at', '<=', now - SIGNIN_WINDOW_MS)
          .execute();
      });
    },
  };
}
