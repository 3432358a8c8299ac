import { z } from 'zod';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import type { PaymentGateway } from '../payments/gateway.ts';
import { cardRefundKey, refundToCard } from './card-refund.ts';

/**
 * A card refund taken offline: the counter paid nothing back, so the server refunds the card
 * when the refund arrives. Through the outbox (DESIGN invariant 5): retried with backoff while
 * Stripe is unreachable, with the same idempotency key as the online path.
 */
export const CARD_REFUND = 'card-refund';

const Payload = z.object({
  refundId: z.string().min(1),
  paymentIntentId: z.string().min(1),
  amount: z.number().int().min(1),
  storeId: z.string().min(1),
});
type Payload = z.infer<typeof Payload>;

/** Call in the transaction that applies the refund. */
export async function enqueueCardRefund(
  trx: DbOrTrx,
  payload: Payload,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: CARD_REFUND,
      idempotencyKey: `${CARD_REFUND}:${cardRefundKey(payload.refundId, payload.paymentIntentId)}`,
      payload,
    },
    deps,
  );
}

export function cardRefundHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly payments?: PaymentGateway | null | undefined;
}): OutboxHandler {
  return async (delivery) => {
    const payload = Payload.parse(delivery.payload);
    if (!deps.payments) {
      throw new Error('Card payments are not configured on this server; the card refund waits.');
    }
    const outcome = await refundToCard(deps.db, deps.payments, payload, deps);
    switch (outcome.kind) {
      case 'refunded':
        return;
      case 'unknown_intent':
        throw new Error(`PaymentIntent ${payload.paymentIntentId} is not known to this store.`);
      case 'other_sale':
        throw new Error(`PaymentIntent ${payload.paymentIntentId} belongs to another sale.`);
      case 'too_much':
        throw new Error(
          `PaymentIntent ${payload.paymentIntentId} has ${String(outcome.refundable)} left to refund, less than ${String(payload.amount)}.`,
        );
    }
  };
}
