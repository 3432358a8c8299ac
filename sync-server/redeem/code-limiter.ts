import type { Clock } from '../deps.ts';

/** Attempts on one code (look-ups, claims, redemptions) within WINDOW_MS, from any address. */
export const CODE_ATTEMPTS = 10;
export const CODE_WINDOW_MS = 10 * 60_000;
/** Bounds memory under a flood of distinct codes: the oldest entries go first. */
const MAX_TRACKED_CODES = 100_000;

export type CodeLimit = { readonly ok: true } | { readonly ok: false; readonly retryInMs: number };

export type CodeLimiter = {
  /** Counts one attempt on `code`; refused once the code had CODE_ATTEMPTS in the window. */
  attempt(code: string): CodeLimit;
};

/**
 * The per-address limit stops one client; this stops many addresses working on one code (a
 * leaked receipt, a claim raced from a botnet). In memory, per process: with several server
 * instances (PostgreSQL, later) the counts must move to a shared store, or each instance
 * allows CODE_ATTEMPTS of its own.
 */
export function createCodeLimiter(
  clock: Clock,
  limits: { readonly attempts: number; readonly windowMs: number } = {
    attempts: CODE_ATTEMPTS,
    windowMs: CODE_WINDOW_MS,
  },
): CodeLimiter {
  const attempts = new Map<string, number[]>();
  return {
    attempt(code) {
      const now = clock().getTime();
      const recent = (attempts.get(code) ?? []).filter((at) => at > now - limits.windowMs);
      if (recent.length >= limits.attempts) {
        attempts.set(code, recent);
        return { ok: false, retryInMs: (recent[0] ?? now) + limits.windowMs - now };
      }
      recent.push(now);
      attempts.delete(code);
      attempts.set(code, recent);
      if (attempts.size > MAX_TRACKED_CODES) {
        const oldest = attempts.keys().next();
        if (oldest.done !== true) attempts.delete(oldest.value);
      }
      return { ok: true };
    },
  };
}
