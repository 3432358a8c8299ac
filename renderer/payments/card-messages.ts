import { GENERIC_DECLINE } from '../../shared/payments/decline-messages.ts';

/** What the cashier reads after each card outcome: what happened, then what to do. */
export const CARD_MESSAGES = {
  genericDecline: GENERIC_DECLINE,
  cancelled: 'Card payment cancelled: nothing was charged. Try the card again or take cash.',
  timeout: 'No card was presented in time: nothing was charged. Try again, or take cash.',
  disconnected:
    'The card reader disconnected during the payment: nothing was charged. Reconnect the reader, then try again or take cash.',
  unreachable:
    'Card payments need the server, and it cannot be reached: take cash, or try card again when back online.',
  voidOffline:
    'Card payments can only be reversed while the server is reachable. Wait until the till is online, or complete the sale.',
} as const;
