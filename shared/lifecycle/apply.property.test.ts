import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntitlementState, canTransition } from '../schemas/entitlement.ts';
import { apply } from './apply.ts';
import {
  type EntitlementEvent,
  EntitlementSnapshot,
  issueEntitlement,
} from './entitlement-events.ts';
import { balanceOf } from './gift-ledger.ts';
import { ISSUED_AT, SUBJECT, TEMPLATES } from './fixtures.test-support.ts';
import { isTerminal } from './transition.ts';

const seed = 20261126;
const PROVISIONAL_ACCOUNT = 'acct_prov';

/** Instants before and after every fixture's expiry and every provisional deadline. */
const at = fc.constantFrom(
  '2026-11-26T10:00:00Z',
  '2026-11-27T09:00:00Z',
  '2026-12-20T00:00:00Z',
  '2027-01-01T00:00:00Z',
  '2027-12-01T00:00:00Z',
);
const amount = fc.oneof(fc.integer({ min: -10, max: 6000 }), fc.constantFrom(0.5, 5000));

const event: fc.Arbitrary<EntitlementEvent> = fc.oneof(
  fc.constant({ type: 'sale-synced' as const }),
  fc.record({
    type: fc.constant('provisional-claim' as const),
    accountId: fc.constant(PROVISIONAL_ACCOUNT),
    at,
    waitDays: fc.integer({ min: 1, max: 30 }),
  }),
  fc.constant({ type: 'sale-arrived' as const }),
  fc.constant({ type: 'sale-arrived-voided' as const, reason: 'Voided at the counter' }),
  fc.record({ type: fc.constant('provisional-timeout' as const), now: at }),
  fc.record({ type: fc.constant('claim' as const), accountId: fc.constant('acct_direct'), at }),
  fc.record({
    type: fc.constant('onboard' as const),
    values: fc.constantFrom({}, SUBJECT, { attendeeName: 'Ada' }, { ...SUBJECT, contact: 'x' }),
    at,
  }),
  fc.record({ type: fc.constant('activate' as const), at }),
  fc.record({ type: fc.constant('consume' as const), at }),
  fc.record({ type: fc.constant('spend' as const), amount, at }),
  fc.record({ type: fc.constant('refund' as const), amount }),
  fc.record({ type: fc.constant('expire' as const), now: at }),
  fc.constant({ type: 'void' as const, reason: 'Refunded' }),
);
const template = fc.constantFrom(...Object.values(TEMPLATES));
const trace = fc.record({ template, events: fc.array(event, { maxLength: 30 }) });

describe('entitlement lifecycle (model-based)', () => {
  it('only ever walks the state graph, and terminal states stay terminal', () => {
    const reached = new Set<EntitlementState>();
    fc.assert(
      fc.property(trace, ({ template, events }) => {
        let snapshot = issueEntitlement(template, ISSUED_AT);
        let everVoided = false;
        for (const e of events) {
          const result = apply(snapshot, e);
          if (isTerminal(snapshot.state)) expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.reason.length).toBeGreaterThan(0);
            continue;
          }
          let previous = snapshot.state;
          for (const to of result.path) {
            expect(canTransition(previous, to), `${previous} → ${to} on ${e.type}`).toBe(true);
            previous = to;
          }
          expect(result.next.state).toBe(previous);
          snapshot = result.next;
          reached.add(snapshot.state);
          if (snapshot.state === 'voided') everVoided = true;
          if (everVoided) expect(snapshot.state).toBe('voided');
        }
        expect(EntitlementSnapshot.safeParse(snapshot).success).toBe(true);
      }),
      { seed, numRuns: 1000 },
    );
    // The property is only worth something if the traces reach every state.
    expect([...reached].sort()).toEqual([...EntitlementState.options].sort());
  });

  it('keeps gift-card balances at initial − spends + refunds, never below zero', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let snapshot = issueEntitlement(TEMPLATES.giftCard, ISSUED_AT);
        let expected = 5000;
        for (const e of events) {
          const result = apply(snapshot, e);
          if (!result.ok) continue;
          if (e.type === 'spend') expected -= e.amount;
          if (e.type === 'refund') expected += e.amount;
          snapshot = result.next;
          const balance = balanceOf(snapshot.ledger ?? []);
          expect(balance).toBe(expected);
          expect(balance).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('ends a provisional claim as a claim only when its sale arrived not voided', () => {
    const outcomes = new Set<string>();
    const provisionalFirst = fc.record({
      template,
      events: fc.array(event, { maxLength: 20 }),
      waitDays: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(provisionalFirst, ({ template: t, events, waitDays }) => {
        const start: EntitlementEvent = {
          type: 'provisional-claim',
          accountId: PROVISIONAL_ACCOUNT,
          at: '2026-11-27T09:00:00Z',
          waitDays,
        };
        let snapshot = issueEntitlement(t, ISSUED_AT);
        let arrived = false;
        let cancelled = false;
        for (const e of [start, ...events]) {
          const result = apply(snapshot, e);
          if (!result.ok) continue;
          if (e.type === 'sale-arrived') arrived = true;
          if (e.type === 'sale-arrived-voided' || e.type === 'provisional-timeout')
            cancelled = true;
          if (e.type === 'void' && snapshot.provisional !== null) cancelled = true;
          snapshot = result.next;
          if (snapshot.accountId === PROVISIONAL_ACCOUNT) {
            expect(arrived).toBe(true);
            expect(cancelled).toBe(false);
            outcomes.add('claimed');
          }
          if (cancelled) expect(snapshot.accountId).not.toBe(PROVISIONAL_ACCOUNT);
          if (e.type === 'sale-arrived-voided') outcomes.add('voided');
          if (e.type === 'provisional-timeout') outcomes.add('timed-out');
        }
      }),
      { seed, numRuns: 1000 },
    );
    expect([...outcomes].sort()).toEqual(['claimed', 'timed-out', 'voided']);
  });
});
