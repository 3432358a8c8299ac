import type { Clock } from '../deps.ts';
import type { RequestCounter } from '../http/rate-limit-store.ts';

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
 * Counted where the server's limits are (LimitStore): in the `rate_limits` table (migration
 * 0011), so server instances sharing one PostgreSQL allow CODE_ATTEMPTS in all, not each, or in
 * memory when one instance serves; either way expired counters are swept, so a flood of
 * distinct codes costs counters for one window only.
 */
export function createCodeLimiter(
  count: RequestCounter,
  clock: Clock,
  limits: { readonly attempts: number; readonly windowMs: number } = {
    attempts: CODE_ATTEMPTS,
    windowMs: CODE_WINDOW_MS,
  },
): CodeLimiter {
  return {
    async attempt(code) {
      const counted = await count(`code ${code}`, limits.windowMs, clock().getTime());
      return counted.current <= limits.attempts
        ? { ok: true }
        : { ok: false, retryInMs: counted.ttl };
    },
  };
}
