import { describe, expect, it } from 'vitest';
import { apply } from './apply.ts';
import type { EntitlementEvent, EntitlementSnapshot } from './entitlement-events.ts';
import { SUBJECT, TEMPLATES, run } from './fixtures.test-support.ts';

const AT = '2026-11-27T09:00:00Z';
const LATER = '2027-06-01T00:00:00Z';

function refusal(snapshot: EntitlementSnapshot, event: EntitlementEvent): string | undefined {
  const result = apply(snapshot, event);
  return result.ok ? undefined : result.reason;
}

describe('provisional claims', () => {
  const provisional: EntitlementEvent = {
    type: 'provisional-claim',
    accountId: 'acct_p',
    at: AT,
    waitDays: 14,
  };

  it('keeps onboarding values and becomes a real claim when the sale arrives', () => {
    const waiting = run(TEMPLATES.voucher, [
      provisional,
      { type: 'onboard', values: SUBJECT, at: AT },
    ]);
    expect(waiting.state).toBe('issued');
    expect(waiting.provisional?.deadline).toBe('2026-12-11T09:00:00.000Z');
    const result = apply(waiting, { type: 'sale-arrived' });
    expect(result.ok && result.path).toEqual(['known', 'claimed', 'onboarded']);
    expect(result.ok && result.next.accountId).toBe('acct_p');
    expect(result.ok && result.next.provisional).toBeNull();
  });

  it('is cancelled by a voided sale or by a sale that never arrives', () => {
    const voided = run(TEMPLATES.ticket, [
      provisional,
      { type: 'sale-arrived-voided', reason: 'Refunded at the counter' },
    ]);
    expect([voided.state, voided.provisionalOutcome, voided.accountId]).toEqual([
      'voided',
      'sale-voided',
      null,
    ]);
    const waiting = run(TEMPLATES.ticket, [provisional]);
    expect(refusal(waiting, { type: 'provisional-timeout', now: '2026-12-01T00:00:00Z' })).toBe(
      'The sale has until 2026-12-11T09:00:00.000Z to arrive.',
    );
    const lapsed = run(TEMPLATES.ticket, [
      provisional,
      { type: 'provisional-timeout', now: '2026-12-11T09:00:00Z' },
    ]);
    expect([lapsed.state, lapsed.provisionalOutcome, lapsed.provisional]).toEqual([
      'issued',
      'timed-out',
      null,
    ]);
    expect(refusal(lapsed, provisional)).toBe(
      'An earlier claim on this code lapsed; claim it again once its sale arrives.',
    );
    expect(
      run(TEMPLATES.ticket, [
        provisional,
        { type: 'provisional-timeout', now: LATER },
        { type: 'sale-synced' },
      ]).accountId,
    ).toBeNull();
  });
});
