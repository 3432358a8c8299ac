import { canTransition } from '../schemas/entitlement.ts';
import { validateOnboarding } from '../templates/onboarding-fields.ts';
import { EntitlementEvent, type EntitlementSnapshot } from './entitlement-events.ts';
import { balanceOf, refund, spend } from './gift-ledger.ts';
import { applyProvisional } from './provisional.ts';
import {
  type ApplyResult,
  expiredReason,
  isExpiredAt,
  isTerminal,
  labelOf,
  move,
  refuse,
} from './transition.ts';

function problemsOf(errors: Readonly<Record<string, string>>): string {
  return Object.values(errors).join(' ');
}

/** Onboarding while the sale is still on its way: the values wait in the provisional claim. */
function onboardProvisionally(
  s: EntitlementSnapshot,
  values: Readonly<Record<string, string>>,
): ApplyResult {
  if (s.provisional === null)
    return refuse('The sale of this code has not reached the server yet; claim it first.');
  return move(s, [], { provisional: { ...s.provisional, onboarding: { ...values } } });
}

function applyGiftCard(
  s: EntitlementSnapshot,
  e: Extract<EntitlementEvent, { type: 'spend' | 'refund' }>,
): ApplyResult {
  if (s.template.kind !== 'gift_card' || s.ledger === null)
    return refuse('Only a gift card holds a balance.');
  // The graph lets only known and active codes be consumed, so only they may be spent from.
  if (s.state !== 'known' && s.state !== 'active')
    return refuse(`A gift card that is ${labelOf(s.state)} cannot be used until it is active.`);
  if (e.type === 'spend' && isExpiredAt(s, e.at)) return refuse(expiredReason(s));
  const result = e.type === 'spend' ? spend(s.ledger, e.amount) : refund(s.ledger, e.amount);
  return result.ok ? move(s, [], { ledger: [...result.ledger] }) : refuse(result.reason);
}

/**
 * The entitlement lifecycle as a pure reducer. It never throws: an event that does not fit the
 * snapshot (or does not parse) is refused with a reason a person can read, and the caller keeps
 * the old snapshot. Time comes in on the events, so replay is deterministic.
 */
export function apply(s: EntitlementSnapshot, input: EntitlementEvent): ApplyResult {
  const parsed = EntitlementEvent.safeParse(input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? 'Not a known event.');
  const e = parsed.data;
  if (isTerminal(s.state))
    return refuse(`This code is ${labelOf(s.state)}; nothing more can happen to it.`);

  switch (e.type) {
    case 'sale-synced':
      if (s.state !== 'issued') return refuse('The sale of this code is already known.');
      if (s.provisional !== null)
        return refuse('A provisional claim is waiting for this sale: record it as sale-arrived.');
      return move(s, ['known']);
    case 'provisional-claim':
    case 'sale-arrived':
    case 'sale-arrived-voided':
    case 'provisional-timeout':
      return applyProvisional(s, e);
    case 'claim':
      if (s.state === 'issued')
        return refuse(
          'The sale of this code has not reached the server yet; claim it provisionally.',
        );
      if (s.state !== 'known') return refuse('This code is already claimed.');
      if (isExpiredAt(s, e.at)) return refuse(expiredReason(s));
      return move(s, ['claimed'], { accountId: e.accountId });
    case 'onboard': {
      if (s.state !== 'issued' && s.state !== 'claimed')
        return refuse(
          s.state === 'known'
            ? 'Claim the code before registering.'
            : 'This code is already registered.',
        );
      if (s.state === 'issued' && s.provisional === null)
        return refuse('The sale of this code has not reached the server yet; claim it first.');
      if (isExpiredAt(s, e.at)) return refuse(expiredReason(s));
      const checked = validateOnboarding(s.template, e.values, e.at);
      if (!checked.ok) return refuse(problemsOf(checked.errors));
      if (s.state === 'issued') return onboardProvisionally(s, checked.values);
      return move(s, ['onboarded'], { onboarding: { ...checked.values } });
    }
    case 'activate':
      if (s.state !== 'onboarded')
        return refuse(`A code that is ${labelOf(s.state)} cannot be activated; register it first.`);
      if (isExpiredAt(s, e.at)) return refuse(expiredReason(s));
      return move(s, ['active']);
    case 'consume':
      if (!canTransition(s.state, 'consumed'))
        return refuse(`A code that is ${labelOf(s.state)} cannot be redeemed yet.`);
      if (isExpiredAt(s, e.at)) return refuse(expiredReason(s));
      if (s.ledger !== null && balanceOf(s.ledger) > 0)
        return refuse(`This gift card still holds ${balanceOf(s.ledger)}; spend it or void it.`);
      return move(s, ['consumed']);
    case 'spend':
    case 'refund':
      return applyGiftCard(s, e);
    case 'expire':
      if (!canTransition(s.state, 'expired'))
        return refuse(`A code that is ${labelOf(s.state)} cannot expire.`);
      if (s.expiresAt === null) return refuse('This code never expires.');
      if (!isExpiredAt(s, e.now)) return refuse(`This code is valid until ${s.expiresAt}.`);
      return move(s, ['expired']);
    case 'void':
      return move(s, ['voided'], {
        voidReason: e.reason,
        provisional: null,
        provisionalOutcome: s.provisional === null ? s.provisionalOutcome : 'sale-voided',
      });
  }
}
