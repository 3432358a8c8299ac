import type { Clock } from '../deps.ts';
import { createCodeLimiter, type CodeLimit } from '../redeem/code-limiter.ts';

export const SIGNIN_ATTEMPTS = 10;
export const SIGNIN_WINDOW_MS = 15 * 60_000;

export type SigninLimiter = {
  /** Counts one attempt from `address` for `email`; refused once either had 10 in 15 minutes. */
  attempt(address: string, email: string): CodeLimit;
};

/**
 * Two limits on password guessing: per client address (one machine trying many e-mails) and per
 * e-mail (many machines trying one account). In memory, per process: with several server
 * instances each would allow its own 10, so they must move to a shared store then.
 */
export function createSigninLimiter(clock: Clock): SigninLimiter {
  const limits = { attempts: SIGNIN_ATTEMPTS, windowMs: SIGNIN_WINDOW_MS };
  const byAddress = createCodeLimiter(clock, limits);
  const byEmail = createCodeLimiter(clock, limits);
  return {
    attempt(address, email) {
      const first = byAddress.attempt(address);
      if (!first.ok) return first;
      return byEmail.attempt(email.trim().toLowerCase());
    },
  };
}
