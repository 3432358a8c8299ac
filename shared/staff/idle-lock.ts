/**
 * The terminal locks itself when nobody has touched it for the configured idle limit, so a
 * cashier who walks away does not leave their sign-in for the next person. A pure rule: the UI
 * calls it on a timer with the clock and the last activity (ms since the epoch) and sets its next
 * timer from `checkAgainAt`, instead of polling every second. Pass a monotonic clock
 * (`performance.now()`) where you can: the wall clock can be changed at the counter.
 */
export interface IdleDecision {
  readonly lockNow: boolean;
  /** When to ask again; null once locked (nothing to wait for until someone signs in). */
  readonly checkAgainAt: number | null;
}

export function idleLock(input: {
  readonly lastActivityAt: number;
  readonly idleLimitMs: number;
  readonly now: number;
}): IdleDecision {
  if (!(input.idleLimitMs > 0)) {
    throw new RangeError('The idle limit must be more than zero; set it in the store settings.');
  }
  const lockAt = input.lastActivityAt + input.idleLimitMs;
  // "Now" before the last activity means the clock went backwards, so how long the terminal has
  // been idle is unknown. Locking costs the cashier one PIN; staying open could last for as long
  // as the clock was set back.
  if (input.now < input.lastActivityAt || input.now >= lockAt) {
    return { lockNow: true, checkAgainAt: null };
  }
  return { lockNow: false, checkAgainAt: lockAt };
}
