import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCKOUT_POLICY,
  INITIAL_LOCKOUT,
  LockoutState,
  attempt,
  clearedLockout,
  lockDurationMs,
  lockedUntil,
  lockoutMessage,
  type AttemptOutcome,
  type LockoutState as State,
} from './lockout.ts';

const seed = 20261127;
const T0 = 1_800_000_000_000;

function failTimes(state: State, times: number, now: number): State {
  let next = state;
  for (let i = 0; i < times; i++) next = attempt(next, 'failure', now);
  return next;
}

describe('lockout', () => {
  it('four wrong PINs are fine and say how many tries are left', () => {
    const state = failTimes(INITIAL_LOCKOUT, 4, T0);
    expect(lockedUntil(state, T0)).toBeNull();
    expect(state.failures).toBe(4);
    expect(lockoutMessage(state, T0)).toBe('Wrong PIN. 1 try left before this sign-in locks.');
    expect(lockoutMessage(failTimes(INITIAL_LOCKOUT, 1, T0), T0)).toBe(
      'Wrong PIN. 4 tries left before this sign-in locks.',
    );
  });

  it('the fifth wrong PIN locks for 30 seconds, with a message the cashier can act on', () => {
    const state = failTimes(INITIAL_LOCKOUT, 5, T0);
    expect(lockedUntil(state, T0)).toBe(T0 + 30_000);
    expect(lockoutMessage(state, T0)).toBe(
      'Locked for 30 seconds after 5 wrong PINs. Ask a manager if you forgot yours.',
    );
    expect(lockoutMessage(state, T0 + 29_500)).toBe(
      'Locked for 1 second after 5 wrong PINs. Ask a manager if you forgot yours.',
    );
    expect(lockedUntil(state, T0 + 29_999)).toBe(T0 + 30_000);
    expect(lockedUntil(state, T0 + 30_000)).toBeNull();
  });

  it('attempts while locked neither count, nor extend the lock, nor unlock', () => {
    const locked = failTimes(INITIAL_LOCKOUT, 5, T0);
    expect(failTimes(locked, 20, T0 + 10_000)).toBe(locked);
    expect(attempt(locked, 'success', T0 + 10_000)).toBe(locked);
    expect(lockedUntil(attempt(locked, 'success', T0 + 10_000), T0 + 10_000)).toBe(T0 + 30_000);
  });

  it('after a lock ends there are five fresh tries, then each lock doubles up to the cap', () => {
    let state = INITIAL_LOCKOUT;
    let now = T0;
    const durations: number[] = [];
    for (let lock = 0; lock < 10; lock++) {
      state = failTimes(state, 4, now);
      expect(lockedUntil(state, now)).toBeNull();
      state = attempt(state, 'failure', now);
      const until = lockedUntil(state, now);
      expect(until).not.toBeNull();
      durations.push((until ?? now) - now);
      now = until ?? now;
    }
    expect(durations).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
      3_600_000,
    ]);
    expect(lockoutMessage(state, now - 3_600_000)).toBe(
      'Locked for 60 minutes after 5 wrong PINs. Ask a manager if you forgot yours.',
    );
  });

  it('the lock time never overflows, however many locks there were', () => {
    expect(lockDurationMs(100_000)).toBe(DEFAULT_LOCKOUT_POLICY.maxLockMs);
  });

  it('a right PIN resets the failures and the doubling', () => {
    const twice = failTimes(failTimes(INITIAL_LOCKOUT, 5, T0), 5, T0 + 30_000);
    expect(twice.locks).toBe(2);
    const after = attempt(twice, 'success', T0 + 30_000 + 60_000);
    expect(after).toEqual(INITIAL_LOCKOUT);
    expect(lockoutMessage(after, T0)).toBeNull();
    const again = failTimes(after, 5, T0 + 200_000);
    expect(lockedUntil(again, T0 + 200_000)).toBe(T0 + 200_000 + 30_000);
    expect(attempt(failTimes(INITIAL_LOCKOUT, 3, T0), 'success', T0)).toEqual(INITIAL_LOCKOUT);
  });

  it('a manager can clear a lock', () => {
    const locked = failTimes(INITIAL_LOCKOUT, 5, T0);
    expect(lockedUntil(clearedLockout(), T0)).toBeNull();
    expect(lockedUntil(locked, T0)).not.toBeNull();
  });

  it('the policy is a parameter', () => {
    const policy = { maxFailures: 3, firstLockMs: 1_000, maxLockMs: 1_500 };
    let state = attempt(attempt(INITIAL_LOCKOUT, 'failure', T0, policy), 'failure', T0, policy);
    expect(lockedUntil(state, T0)).toBeNull();
    state = attempt(state, 'failure', T0, policy);
    expect(lockedUntil(state, T0)).toBe(T0 + 1_000);
    expect(lockDurationMs(1, policy)).toBe(1_500);
  });

  it('the state round-trips through its schema, for persisting across restarts', () => {
    const state = failTimes(INITIAL_LOCKOUT, 5, T0);
    expect(LockoutState.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(LockoutState.safeParse({ failures: -1, locks: 0, lockedUntil: null }).success).toBe(
      false,
    );
  });
});

describe('lockout properties (seeded)', () => {
  const step = fc.record({
    outcome: fc.constantFrom<AttemptOutcome>('success', 'failure', 'failure', 'failure'),
    // Mostly short gaps, so many attempts land inside a lock; sometimes long ones.
    advanceMs: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 7_200_000 })),
  });

  it('is never unlocked before its time, and a lock never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        let state = INITIAL_LOCKOUT;
        let now = T0;
        let activeUntil: number | null = null;
        for (const { outcome, advanceMs } of steps) {
          now += advanceMs;
          if (activeUntil !== null && now < activeUntil) {
            expect(lockedUntil(state, now)).toBe(activeUntil);
          }
          const before = lockedUntil(state, now);
          state = attempt(state, outcome, now);
          const after = lockedUntil(state, now);
          if (before !== null) expect(after).toBe(before);
          if (after !== null) {
            expect(after - now).toBeLessThanOrEqual(DEFAULT_LOCKOUT_POLICY.maxLockMs);
            activeUntil = after;
          }
          expect(state.failures).toBeLessThan(DEFAULT_LOCKOUT_POLICY.maxFailures);
        }
      }),
      { seed, numRuns: 500 },
    );
  });

  it('a success always resets when not locked', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100 }), fc.nat(7_200_000), (steps, waitMs) => {
        let state = INITIAL_LOCKOUT;
        let now = T0;
        for (const { outcome, advanceMs } of steps) {
          now += advanceMs;
          state = attempt(state, outcome, now);
        }
        now += waitMs;
        const result = attempt(state, 'success', now);
        if (lockedUntil(state, now) === null) expect(result).toEqual(INITIAL_LOCKOUT);
        else expect(result).toBe(state);
      }),
      { seed, numRuns: 500 },
    );
  });
});
