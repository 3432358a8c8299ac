/**
 * What the simulated reader does with a card, modelled on Stripe's Terminal testing guide
 * ("Test Stripe Terminal"): the minor-unit ending of the amount declines (…01 call_issuer,
 * …05 generic_decline, …55 incorrect_pin, …65 withdrawal_count_limit_exceeded, …75
 * pin_try_exceeded), otherwise the test card decides. Stripe documents no simulated partial
 * approval; this fake approves half the amount for its own test card `partial_approval`.
 */
export type CardOutcome =
  | { readonly kind: 'approved'; readonly brand: string; readonly last4: string }
  | {
      readonly kind: 'partial';
      readonly brand: string;
      readonly last4: string;
      readonly approved: number;
    }
  | {
      readonly kind: 'declined';
      readonly code: string;
      readonly declineCode: string;
      readonly message: string;
    };

/** This fake's own partial-approval card: Stripe documents no simulated partial approval. */
export const PARTIAL_APPROVAL_CARD = '4000000000002211';

const BRANDS: ReadonlyArray<readonly [string, string]> = [
  ['4', 'visa'],
  ['5', 'mastercard'],
  ['37', 'amex'],
  ['34', 'amex'],
];

const AMOUNT_DECLINES: Readonly<Record<number, string>> = {
  1: 'call_issuer',
  5: 'generic_decline',
  55: 'incorrect_pin',
  65: 'withdrawal_count_limit_exceeded',
  75: 'pin_try_exceeded',
};

const CARD_DECLINES: Readonly<Record<string, readonly [code: string, declineCode: string]>> = {
  '4000000000000002': ['card_declined', 'generic_decline'],
  '4000000000009995': ['card_declined', 'insufficient_funds'],
  '4000000000009987': ['card_declined', 'lost_card'],
  '4000000000009979': ['card_declined', 'stolen_card'],
  '4000000000000069': ['expired_card', 'expired_card'],
  '4000000000000119': ['processing_error', 'processing_error'],
};

const declined = (code: string, declineCode: string): CardOutcome => ({
  kind: 'declined',
  code,
  declineCode,
  message:
    code === 'processing_error'
      ? 'An error occurred while processing your card. Try again in a little bit.'
      : code === 'expired_card'
        ? 'Your card has expired.'
        : 'Your card was declined.',
});

export function outcomeOf(amount: number, cardNumber: string): CardOutcome {
  const byAmount = AMOUNT_DECLINES[amount % 100];
  if (byAmount) return declined('card_declined', byAmount);
  const byCard = CARD_DECLINES[cardNumber];
  if (byCard) return declined(byCard[0], byCard[1]);
  const brand = BRANDS.find(([prefix]) => cardNumber.startsWith(prefix))?.[1] ?? 'unknown';
  const last4 = cardNumber.slice(-4);
  if (cardNumber === PARTIAL_APPROVAL_CARD) {
    return { kind: 'partial', brand, last4, approved: Math.max(1, Math.floor(amount / 2)) };
  }
  return { kind: 'approved', brand, last4 };
}
