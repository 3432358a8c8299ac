/** What the cashier reads after each card outcome: what happened, then what to do. */
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

export const CARD_MESSAGES = {
  genericDecline: 'Declined by the card issuer: ask for another card or take cash.',
  cancelled: 'Card payment cancelled: nothing was charged. Try the card again or take cash.',
  timeout: 'No card was presented in time: nothing was charged. Try again, or take cash.',
  disconnected:
    'The card reader disconnected during the payment: nothing was charged. Reconnect the reader, then try again or take cash.',
  unreachable:
    'Card payments need the server, and it cannot be reached: take cash, or try card again when back online.',
  voidOffline:
    'Card payments can only be reversed while the server is reachable. Wait until the till is online, or complete the sale.',
} as const;

export function declineMessage(declineCode: string | undefined): string {
  return (declineCode && DECLINES[declineCode]) ?? CARD_MESSAGES.genericDecline;
}
