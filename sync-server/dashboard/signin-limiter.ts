import type { Clock } from '../deps.ts';

export const SIGNIN_ATTEMPTS = 10;
export const SIGNIN_WINDOW_MS = 15 * 60_000;
/** Bounds memory under a flood of distinct addresses or e-mails: the oldest keys go first. */
const MAX_TRACKED_KEYS = 100_000;

export type SigninLimiter = {
  /** ms until `address` and `email` may try again, or null when they may try now. */
  blockedFor(address: string, email: string): number | null;
  /** Counts a failed attempt against both. */
  failed(address: string, email: string): void;
};

/**
 * Two limits on password guessing: per client address (one machine trying many e-mails) and per
 * e-mail (many machines trying one account): after 10 failed attempts in 15 minutes, every
 * attempt is refused, the right password included, until the oldest failure is 15 minutes old.
 * Only failures count, so managers signing in often from one office are never locked out. In
 * memory, per process: with several server instances each would allow its own 10, so the counts
 * must move to a shared store then.
 */
export function createSigninLimiter(clock: Clock): SigninLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] =>
    (failures.get(key) ?? []).filter((at) => at > now - SIGNIN_WINDOW_MS);
  const keys = (address: string, email: string) => [
    `address:${address}`,
    `email:${email.trim().toLowerCase()}`,
  ];
  return {
    blockedFor(address, email) {
      const now = clock().getTime();
      let wait: number | null = null;
      for (const key of keys(address, email)) {
        const times = recent(key, now);
        if (times.length >= SIGNIN_ATTEMPTS) {
          const until = (times[times.length - SIGNIN_ATTEMPTS] ?? now) + SIGNIN_WINDOW_MS - now;
          wait = Math.max(wait ?? 0, until);
        }
      }
      return wait;
    },
    failed(address, email) {
      const now = clock().getTime();
      for (const key of keys(address, email)) {
        const times = recent(key, now);
        times.push(now);
        failures.delete(key);
        failures.set(key, times);
      }
      while (failures.size > MAX_TRACKED_KEYS) {
        const oldest = failures.keys().next();
        if (oldest.done === true) break;
        failures.delete(oldest.value);
      }
    },
  };
}
