import Stripe from 'stripe';
import { declineMessage } from '../../shared/payments/decline-messages.ts';
import { GatewayError } from './gateway.ts';

/**
 * Turns what the `stripe` library throws into a GatewayError with a sentence for the counter;
 * Stripe's own message and code stay in `code`/`cause` for the log, never shown to the customer.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const wrap = (message: string, code: string, unreachable = false) => {
    const wrapped = new GatewayError(message, code, unreachable);
    wrapped.cause = error;
    return wrapped;
  };
  if (error instanceof Stripe.errors.StripeCardError) {
    // Typed as always present, but Stripe leaves it out for errors such as expired_card.
    const { decline_code: declineCode } = error as { decline_code?: string };
    const code = declineCode ?? error.code ?? 'card_declined';
    return wrap(declineMessage(code), code);
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return wrap(
      'The card processor cannot be reached. Take cash, or try card again in a minute.',
      'unreachable',
      true,
    );
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return wrap('The card processor is busy. Wait a few seconds and try again.', 'rate_limit');
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return wrap(
      'The card processor refused the server’s key. Take cash and tell a manager to check STRIPE_SECRET_KEY.',
      'authentication',
      true,
    );
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return wrap(
      'This card step was already sent with other details. Start the card payment again.',
      'idempotency_error',
    );
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.code === 'payment_intent_unexpected_state') {
      return wrap(
        'This card payment is no longer in a state where that is possible. Check the cart and try again.',
        error.code,
      );
    }
    if (error.code === 'charge_already_refunded') {
      return wrap('This card payment was already refunded in full.', error.code);
    }
    if (error.code === 'amount_too_large') {
      return wrap('That is more than is left to refund on this card payment.', error.code);
    }
    if (error.statusCode === 404) {
      return wrap('The card processor does not know this card payment.', 'resource_missing');
    }
    return wrap(
      'The card processor refused the request. Try again; if it keeps happening, tell a manager.',
      error.code ?? 'invalid_request',
    );
  }
  if (error instanceof Stripe.errors.StripeError) {
    return wrap(
      'The card processor had a problem. Try again, or take cash.',
      error.code ?? error.type,
      (error.statusCode ?? 500) >= 500,
    );
  }
  return wrap('The card payment failed unexpectedly. Try again, or take cash.', 'unknown');
}
