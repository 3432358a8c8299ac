import type { Db } from '../db/schema.ts';
import type { Clock } from '../deps.ts';
import { countRequest, expiredCounterSweeper } from '../http/rate-limit-store.ts';

/** Attempts on one code (look-ups, claims, redemptions) within WINDOW_MS, from any address. */
export const CODE_ATTEMPTS = 10;
export const CODE_WINDOW_MS = 10 * 60_000;

export type CodeLimit = { readonly ok: true } | { readonly ok: false; readonly retryInMs: number };

export type CodeLimiter = {
  /** Counts one attempt on `code`; refused once the code had CODE_ATTEMPTS in the window. */
  attempt(code: string): Promise<CodeLimit>;
};

/**
 * The per-address limit stops one client; this stops many addresses working on one code (a
 * leaked receipt, a claim raced from a botnet). The window starts at the code's first attempt.
 * Counted in the `rate_limits` table (migration 0011), not in process memory, so server
 * instances sharing one PostgreSQL allow CODE_ATTEMPTS in all, not each; expired counters are
 * swept, so a flood of distinct codes costs rows for one window only.
 */
export function createCodeLimiter(
  db: Db,
  clock: Clock,
  limits: { readonly attempts: number; readonly windowMs: number } = {
    attempts: CODE_ATTEMPTS,
    windowMs: CODE_WINDOW_MS,
  },
): CodeLimiter {
  const sweep = expiredCounterSweeper(db);
  return {
    async attempt(code) {
      const now = clock().getTime();
      sweep(now);
      const count = await countRequest(db, `code ${code}`, limits.windowMs, now);
      return count.current <= limits.attempts ? { ok: true } : { ok: false, retryInMs: count.ttl };
    },
  };
}
