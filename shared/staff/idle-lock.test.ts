import { describe, expect, it } from 'vitest';
import { idleLock } from './idle-lock.ts';

const idleLimitMs = 120_000;
const lastActivityAt = 1_800_000_000_000;

describe('idleLock', () => {
  it('refuses an idle limit that is not more than zero', () => {
    expect(() => idleLock({ lastActivityAt, idleLimitMs: 0, now: lastActivityAt })).toThrow(
      'The idle limit must be more than zero; set it in the store settings.',
    );
    expect(() => idleLock({ lastActivityAt, idleLimitMs: NaN, now: lastActivityAt })).toThrow();
  });

  it('stays open before the limit and asks again exactly when it would run out', () => {
    expect(idleLock({ lastActivityAt, idleLimitMs, now: lastActivityAt })).toEqual({
      lockNow: false,
      checkAgainAt: lastActivityAt + idleLimitMs,
    });
    expect(
      idleLock({ lastActivityAt, idleLimitMs, now: lastActivityAt + idleLimitMs - 1 }),
    ).toEqual({ lockNow: false, checkAgainAt: lastActivityAt + idleLimitMs });
  });

  it('locks at the limit and after it, and then has nothing to wait for', () => {
    expect(idleLock({ lastActivityAt, idleLimitMs, now: lastActivityAt + idleLimitMs })).toEqual({
      lockNow: true,
      checkAgainAt: null,
    });
    expect(
      idleLock({ lastActivityAt, idleLimitMs, now: lastActivityAt + 10 * idleLimitMs }),
    ).toEqual({ lockNow: true, checkAgainAt: null });
  });

  it('locks when the clock went backwards, since the idle time is then unknown', () => {
    expect(idleLock({ lastActivityAt, idleLimitMs, now: lastActivityAt - 1 })).toEqual({
      lockNow: true,
      checkAgainAt: null,
    });
  });
});
