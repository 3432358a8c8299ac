/**
 * One card payment at the counter, start to finish: the sale id is fixed on the cart first (it
 * keys the PaymentIntent), the server creates the intent, the reader collects the card, the
 * server captures, and the captured payment is written to the cart BEFORE anything else, so a
 * crash after the capture never loses card money (the cart keeps it until the sale is written).
 */
import type { CardPayment } from '../../shared/schemas/sale.ts';
import type { CartCommands } from '../sell/cart.ts';
import { ServerRefusal, ServerUnreachable } from '../sync/api-client.ts';
import type { CardReader, CollectOutcome } from './card-reader.ts';
import { CARD_MESSAGES } from './card-messages.ts';
import type { PaymentsApi } from './payments-api.ts';

export type NotPaidOutcome = Exclude<CollectOutcome['kind'], 'authorised'> | 'server';

export type CardResult =
  | { readonly kind: 'paid'; readonly payment: CardPayment; readonly message: string }
  | {
      readonly kind: 'not_paid';
      readonly outcome: NotPaidOutcome;
      readonly message: string;
    };

/** Attempts per sale before the server's idempotency keys (sale:<id>:card:<n>) run out. */
const MAX_ATTEMPT = 50;

function messageOf(error: unknown): string {
  if (error instanceof ServerUnreachable) return CARD_MESSAGES.unreachable;
  if (error instanceof ServerRefusal) return error.message;
  return `The card payment failed: ${error instanceof Error ? error.message : String(error)} Try again, or take cash.`;
}

export async function takeCardPayment(
  deps: {
    readonly api: PaymentsApi;
    readonly reader: CardReader;
    readonly cart: CartCommands;
    readonly newId: () => string;
    readonly formatMoney: (amount: number) => string;
  },
  input: { readonly amount: number; readonly attempt: number },
): Promise<CardResult & { readonly nextAttempt: number }> {
  const { api, reader, cart } = deps;
  let attempt = input.attempt;
  const notPaid = (outcome: NotPaidOutcome, message: string) => ({
    kind: 'not_paid' as const,
    outcome,
    message,
    nextAttempt: attempt + 1,
  });
  let intent: { saleId: string; id: string; clientSecret: string } | undefined;
  try {
    const saleId = await cart.saleIdForCheckout(deps.newId);
    // A reload forgets the attempt count: a key already used for another amount is skipped.
    for (;;) {
      try {
        intent = { saleId, ...(await api.createIntent({ saleId, amount: input.amount, attempt })) };
        break;
      } catch (error) {
        if (
          error instanceof ServerRefusal &&
          error.code === 'idempotency_error' &&
          attempt < MAX_ATTEMPT
        ) {
          attempt += 1;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    return notPaid('server', messageOf(error));
  }

  const outcome = await reader.collect(intent);
  if (outcome.kind !== 'authorised') {
    // Nothing was captured; release the intent so it cannot be captured later (best effort).
    await api.cancel(intent.id).catch(() => undefined);
    return notPaid(outcome.kind, outcome.message);
  }

  let captured;
  try {
    // Capture is idempotent on the server: one retry covers a lost answer.
    captured = await api.capture(intent.id).catch(() => api.capture(intent.id));
  } catch (error) {
    // Not on the cart, so no card money may stay taken: cancel it (or refund it if captured).
    const released = await api.cancel(intent.id).then(
      () => true,
      () => false,
    );
    return notPaid(
      'server',
      released
        ? `${messageOf(error)} Nothing was kept from the card.`
        : `${messageOf(error)} The card may have been charged: do not charge it again until a manager has checked the card payment ${intent.id}.`,
    );
  }
  const payment: CardPayment = {
    method: 'card',
    amount: captured.amountReceived,
    paymentIntentId: captured.id,
    ...(captured.card.brand ? { brand: captured.card.brand } : {}),
    ...(captured.card.last4 && /^\d{4}$/.test(captured.card.last4)
      ? { last4: captured.card.last4 }
      : {}),
    ...(captured.partial ? { partial: true } : {}),
  };
  await cart.addCardPayment(intent.saleId, payment);
  const paid = deps.formatMoney(payment.amount);
  return {
    kind: 'paid',
    payment,
    nextAttempt: attempt + 1,
    message: captured.partial
      ? `Partly approved: the card paid ${paid} of ${deps.formatMoney(input.amount)}. Take the rest by another card or cash.`
      : `Card approved: ${paid}.`,
  };
}

/**
 * "Cancel sale" with card money attached: each card payment is cancelled or refunded through
 * the server and only then taken off the cart. Stops at the first failure so the cart never
 * forgets money that was not given back.
 */
export async function voidCardPayments(
  deps: { readonly api: PaymentsApi; readonly cart: CartCommands },
  payments: readonly CardPayment[],
): Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }> {
  for (const payment of payments) {
    try {
      await deps.api.cancel(payment.paymentIntentId);
    } catch (error) {
      return {
        ok: false,
        message: error instanceof ServerUnreachable ? CARD_MESSAGES.voidOffline : messageOf(error),
      };
    }
    await deps.cart.removeCardPayment(payment.paymentIntentId);
  }
  return { ok: true };
}
