import type { EntitlementEvent, EntitlementSnapshot } from './entitlement-events.ts';
import { type ApplyResult, move, refuse } from './transition.ts';

const DAY_MS = 86_400_000;

type ProvisionalEvent = Extract<
  EntitlementEvent,
  { type: 'provisional-claim' | 'sale-arrived' | 'sale-arrived-voided' | 'provisional-timeout' }
>;

/**
 * A provisional claim keeps the code in `issued` (the server has no sale to attach it to), so
 * the state graph is untouched: the claim becomes real only by walking issued → known →
 * claimed when the sale arrives, and a voided or missing sale cancels it.
 */
export function applyProvisional(s: EntitlementSnapshot, e: ProvisionalEvent): ApplyResult {
  if (s.state !== 'issued') return refuse('The sale of this code has already reached the server.');
  const pending = s.provisional;
  switch (e.type) {
    case 'provisional-claim':
      if (pending !== null) return refuse('This code is already claimed, pending its sale.');
      // A lapsed claim is not renewed: a sale missing that long needs a person to look at it.
      if (s.provisionalOutcome === 'timed-out')
        return refuse(
          'An earlier claim on this code lapsed; claim it again once its sale arrives.',
        );
      return move(s, [], {
        provisional: {
          accountId: e.accountId,
          claimedAt: e.at,
          deadline: new Date(Date.parse(e.at) + e.waitDays * DAY_MS).toISOString(),
          onboarding: null,
        },
      });
    case 'sale-arrived':
      if (pending === null) return refuse('No provisional claim is waiting for this sale.');
      return move(
        s,
        pending.onboarding === null ? ['known', 'claimed'] : ['known', 'claimed', 'onboarded'],
        {
          accountId: pending.accountId,
          onboarding: pending.onboarding,
          provisional: null,
        },
      );
    case 'sale-arrived-voided':
      if (pending === null) return refuse('No provisional claim is waiting for this sale.');
      return move(s, ['voided'], {
        provisional: null,
        provisionalOutcome: 'sale-voided',
        voidReason: e.reason,
      });
    case 'provisional-timeout':
      if (pending === null) return refuse('No provisional claim is waiting for this sale.');
      if (!(Date.parse(e.now) >= Date.parse(pending.deadline)))
        return refuse(`The sale has until ${pending.deadline} to arrive.`);
      return move(s, [], { provisional: null, provisionalOutcome: 'timed-out' });
  }
}
