/**
 * Card declines in words a cashier can act on: what happened, then what to do. One list for the
 * reader at the counter (the SDK's decline codes) and the server (Stripe's API errors), so the
 * same decline reads the same wherever it is noticed; anything else gets the generic sentence.
 */
const DECLINES: Readonly<Record<string, string>> = {
  call_issuer:
    'Declined by the card issuer: the customer should call their bank. Ask for another card or take cash.',
  insufficient_funds: 'Declined: not enough funds on the card. Ask for another card or take cash.',
  incorrect_pin: 'Declined: the PIN was wrong. Try the card again or take another payment.',
  pin_try_exceeded: 'Declined: too many wrong PINs. Ask for another card or take cash.',
  withdrawal_count_limit_exceeded:
    'Declined: the card has reached its limit. Ask for another card or take cash.',
  expired_card: 'Declined: the card has expired. Ask for another card or take cash.',
  processing_error: 'The card could not be processed. Try again, or take another payment.',
};

export const GENERIC_DECLINE = 'Declined by the card issuer: ask for another card or take cash.';

export function declineMessage(declineCode: string | undefined): string {
  const known = declineCode ? DECLINES[declineCode] : undefined;
  return known ?? GENERIC_DECLINE;
}
