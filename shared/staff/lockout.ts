import { z } from 'zod';

/**
 * Sign-in attempts for one staff member at one terminal, as a pure state machine. The clock is
 * passed in (milliseconds since the epoch), so tests and the property test control time.
 *
 * The rules, decided here:
 * - `maxFailures` wrong PINs in a row lock the member out for `firstLockMs`. When the lock ends
 *   they get a fresh `maxFailures` tries; the next lock is twice as long, up to `maxLockMs`.
 * - While locked, the caller must not check the PIN at all (that would hand a guesser free
 *   answers). An attempt that arrives anyway, right or wrong, changes nothing: it neither counts
 *   as a failure nor extends the lock, so a cashier tapping the keypad during a lock is not
 *   punished, and it does not unlock either.
 * - A right PIN when not locked resets everything, including the doubling.
 * - A manager can clear a lock (`clearedLockout`); the caller records that as an audit event.
 *
 * What this bounds: at the cap a guesser at the counter gets `maxFailures` tries per hour, about
 * 120 a day, so a 4-digit PIN lasts weeks, not minutes — and the failures are audited. It does
 * not bound an attacker who has copied the hash (see pin.ts), nor one who can set the device's
 * clock forward; the state must also be persisted by the caller, or a restart would reset it.
 * A clock set backwards only makes a lock last longer, which a manager can clear.
 */
export const LockoutPolicy = z.strictObject({
  maxFailures: z.number().int().min(1),
  firstLockMs: z.number().int().min(1),
  maxLockMs: z.number().int().min(1),
});
export type LockoutPolicy = z.infer<typeof LockoutPolicy>;

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  maxFailures: 5,
  firstLockMs: 30_000,
  maxLockMs: 60 * 60_000,
};

/** Persisted per staff member per terminal, so closing the app does not reset a lock. */
export const LockoutState = z.strictObject({
  /** Wrong PINs since the last success or the end of the last lock. */
  failures: z.number().int().min(0),
  /** Locks since the last success: how many times the lock time has doubled. */
  locks: z.number().int().min(0),
  /** When the current (or last) lock ends, ms since the epoch; null when never locked. */
  lockedUntil: z.number().int().nullable(),
});
export type LockoutState = z.infer<typeof LockoutState>;

export const INITIAL_LOCKOUT: LockoutState = { failures: 0, locks: 0, lockedUntil: null };

export type AttemptOutcome = 'success' | 'failure';

/** The instant the lock ends, or null when the member may try a PIN now. */
export function lockedUntil(state: LockoutState, now: number): number | null {
  return state.lockedUntil !== null && now < state.lockedUntil ? state.lockedUntil : null;
}

/** How long the next lock lasts: the first lock, doubled per earlier lock, capped. */
export function lockDurationMs(
  locks: number,
  policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
): number {
  // Doubling past the cap would overflow to Infinity after ~1000 locks; stop doubling at the cap.
  let duration = policy.firstLockMs;
  for (let i = 0; i < locks && duration < policy.maxLockMs; i++) duration *= 2;
  return Math.min(duration, policy.maxLockMs);
}

/** The state after one PIN attempt, checked (or not, while locked) at `now`. */
export function attempt(
  state: LockoutState,
  outcome: AttemptOutcome,
  now: number,
  policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
): LockoutState {
  if (lockedUntil(state, now) !== null) return state;
  if (outcome === 'success') return INITIAL_LOCKOUT;
  const failures = state.failures + 1;
  if (failures < policy.maxFailures) return { ...state, failures };
  return {
    failures: 0,
    locks: state.locks + 1,
    lockedUntil: now + lockDurationMs(state.locks, policy),
  };
}

/** A manager cleared the lock (they checked who is at the counter); the caller audits it. */
export function clearedLockout(): LockoutState {
  return INITIAL_LOCKOUT;
}

/**
 * What to tell the cashier after an attempt, or null when there is nothing to say (signed in, or
 * no wrong PINs yet).
 */
export function lockoutMessage(
  state: LockoutState,
  now: number,
  policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
): string | null {
  const until = lockedUntil(state, now);
  if (until !== null) {
    return `Locked for ${describeDuration(until - now)} after ${policy.maxFailures} wrong PINs. Ask a manager if you forgot yours.`;
  }
  if (state.failures === 0) return null;
  const left = policy.maxFailures - state.failures;
  return `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before this sign-in locks.`;
}

/** Rounded up, so "locked for 0 seconds" is never shown while still locked. */
function describeDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
