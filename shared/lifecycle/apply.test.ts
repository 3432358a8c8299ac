import { describe, expect, it } from 'vitest';
import { apply } from './apply.ts';
import {
  type EntitlementEvent,
  EntitlementSnapshot,
  issueEntitlement,
} from './entitlement-events.ts';
import { balanceOf } from './gift-ledger.ts';
import { ISSUED_AT, SUBJECT, TEMPLATES, run } from './fixtures.test-support.ts';

const AT = '2026-11-27T09:00:00Z';
const LATER = '2027-06-01T00:00:00Z';

function refusal(snapshot: EntitlementSnapshot, event: EntitlementEvent): string | undefined {
  const result = apply(snapshot, event);
  return result.ok ? undefined : result.reason;
}

describe('apply: happy paths', () => {
  it('takes a voucher from issued to consumed, walking the graph one step at a time', () => {
    const claimed = run(TEMPLATES.voucher, [
      { type: 'sale-synced' },
      { type: 'claim', accountId: 'acct_1', at: AT },
    ]);
    const result = apply(claimed, { type: 'onboard', values: { ...SUBJECT, extra: 'x' }, at: AT });
    expect(result.ok && result.path).toEqual(['onboarded']);
    expect(result.ok && result.next.onboarding).toEqual(SUBJECT);
    const done = run(TEMPLATES.voucher, [
      { type: 'sale-synced' },
      { type: 'claim', accountId: 'acct_1', at: AT },
      { type: 'onboard', values: SUBJECT, at: AT },
      { type: 'activate', at: AT },
      { type: 'consume', at: AT },
    ]);
    expect(done.state).toBe('consumed');
    expect(EntitlementSnapshot.safeParse(done).success).toBe(true);
  });

  it('spends a gift card in parts and closes it only when empty', () => {
    const card = run(TEMPLATES.giftCard, [
      { type: 'sale-synced' },
      { type: 'spend', amount: 1500, at: AT },
      { type: 'spend', amount: 500, at: AT },
      { type: 'refund', amount: 200 },
    ]);
    expect(card.state).toBe('known');
    expect(balanceOf(card.ledger ?? [])).toBe(3200);
    expect(refusal(card, { type: 'consume', at: AT })).toBe(
      'This gift card still holds 3200; spend it or void it.',
    );
    expect(refusal(card, { type: 'spend', amount: 3201, at: AT })).toBe(
      'The card holds 3200; 3201 is more than that.',
    );
    const empty = run(TEMPLATES.giftCard, [
      { type: 'sale-synced' },
      { type: 'spend', amount: 5000, at: AT },
      { type: 'consume', at: AT },
    ]);
    expect(empty.state).toBe('consumed');
  });

  it('expires only at or after the expiry', () => {
    const known = run(TEMPLATES.voucher, [{ type: 'sale-synced' }]);
    expect(known.expiresAt).toBe('2026-12-26T10:00:00.000Z');
    expect(refusal(known, { type: 'expire', now: '2026-12-26T09:59:59Z' })).toBe(
      'This code is valid until 2026-12-26T10:00:00.000Z.',
    );
    const expired = apply(known, { type: 'expire', now: '2026-12-26T10:00:00Z' });
    expect(expired.ok && expired.next.state).toBe('expired');
    const licence = run(TEMPLATES.licence, [{ type: 'sale-synced' }]);
    expect(refusal(licence, { type: 'expire', now: LATER })).toBe('This code never expires.');
  });
});

describe('apply: refusals', () => {
  const issued = issueEntitlement(TEMPLATES.voucher, ISSUED_AT);
  const known = run(TEMPLATES.voucher, [{ type: 'sale-synced' }]);
  const voided = run(TEMPLATES.voucher, [{ type: 'void', reason: 'Customer changed their mind' }]);
  const claimed = run(TEMPLATES.voucher, [
    { type: 'sale-synced' },
    { type: 'claim', accountId: 'acct_1', at: AT },
  ]);

  it.each<[string, EntitlementSnapshot, EntitlementEvent, string]>([
    [
      'claim before the sale',
      issued,
      { type: 'claim', accountId: 'a', at: AT },
      'The sale of this code has not reached the server yet; claim it provisionally.',
    ],
    [
      'claim twice',
      claimed,
      { type: 'claim', accountId: 'a', at: AT },
      'This code is already claimed.',
    ],
    [
      'claim after expiry',
      known,
      { type: 'claim', accountId: 'a', at: LATER },
      'This code expired at 2026-12-26T10:00:00.000Z.',
    ],
    [
      'sale synced twice',
      known,
      { type: 'sale-synced' },
      'The sale of this code is already known.',
    ],
    [
      'sale arrived with no claim',
      issued,
      { type: 'sale-arrived' },
      'No provisional claim is waiting for this sale.',
    ],
    [
      'onboard unclaimed',
      known,
      { type: 'onboard', values: SUBJECT, at: AT },
      'Claim the code before registering.',
    ],
    [
      'onboard with a future birth date',
      claimed,
      { type: 'onboard', values: { ...SUBJECT, dateOfBirth: '2030-01-01' }, at: AT },
      'Date of birth must be a date in the past.',
    ],
    [
      'activate unregistered',
      claimed,
      { type: 'activate', at: AT },
      'A code that is claimed cannot be activated; register it first.',
    ],
    [
      'consume while only claimed',
      claimed,
      { type: 'consume', at: AT },
      'A code that is claimed cannot be redeemed yet.',
    ],
    [
      'spend a voucher',
      known,
      { type: 'spend', amount: 1, at: AT },
      'Only a gift card holds a balance.',
    ],
    [
      'spend a fraction',
      known,
      { type: 'spend', amount: 0.5, at: AT },
      'Amounts are whole minor units (cents), never fractions.',
    ],
    [
      'activate a voided code',
      voided,
      { type: 'activate', at: AT },
      'This code is voided; nothing more can happen to it.',
    ],
    [
      'expire before the sale',
      issued,
      { type: 'expire', now: LATER },
      'A code that is issued, not yet synced cannot expire.',
    ],
  ])('refuses: %s', (_name, snapshot, event, reason) => {
    expect(refusal(snapshot, event)).toBe(reason);
  });

  it('refuses without throwing and leaves the snapshot unchanged', () => {
    const before = structuredClone(known);
    const garbage = { type: 'teleport' } as unknown as EntitlementEvent;
    expect(apply(known, garbage).ok).toBe(false);
    expect(known).toEqual(before);
  });
});
