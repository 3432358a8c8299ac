import type { Db } from '../db/schema.ts';
import { isoNow, type Clock } from '../deps.ts';
import type { PaymentGateway } from '../payments/gateway.ts';
import { inTransaction } from '../db/transaction.ts';

export type CardRefundInput = {
  readonly refundId: string;
  readonly paymentIntentId: string;
  readonly amount: number;
  readonly storeId: string;
  /** When given, the PaymentIntent must have been created for this sale. */
  readonly saleId?: string;
};

export type CardRefundOutcome =
  | { kind: 'refunded'; stripeRefundId: string; status: string }
  | { kind: 'unknown_intent' }
  | { kind: 'other_sale' }
  | { kind: 'too_much'; refundable: number };

/** One refund to one card, one key: Stripe and card_refunds both see the same one. */
export function cardRefundKey(refundId: string, paymentIntentId: string): string {
  return `${refundId}:${paymentIntentId}`;
}

/**
 * Gives card money back through the gateway, once. A retry (a lost answer, an outbox job run
 * again) finds the card_refunds row and returns the same Stripe refund; if the process died
 * between Stripe and that row, Stripe's idempotency key returns the same refund and the row is
 * written then. amount_refunded grows only with the row's insert, so it never counts twice.
 * Throws GatewayError when Stripe refuses or cannot be reached.
 */
export async function refundToCard(
  db: Db,
  gateway: PaymentGateway,
  input: CardRefundInput,
  deps: { readonly clock: Clock },
): Promise<CardRefundOutcome> {
  const key = cardRefundKey(input.refundId, input.paymentIntentId);
  const done = await db
    .selectFrom('card_refunds')
    .select(['stripe_refund_id', 'status', 'store_id'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (done && done.store_id === input.storeId) {
    return { kind: 'refunded', stripeRefundId: done.stripe_refund_id, status: done.status };
  }
  const intent = await db
    .selectFrom('payment_intents')
    .select(['store_id', 'sale_id', 'amount_captured', 'amount_refunded'])
    .where('id', '=', input.paymentIntentId)
    .executeTakeFirst();
  if (!intent || intent.store_id !== input.storeId) return { kind: 'unknown_intent' };
  if (input.saleId !== undefined && intent.sale_id !== input.saleId) return { kind: 'other_sale' };
  const refundable = intent.amount_captured - intent.amount_refunded;
  if (input.amount > refundable) return { kind: 'too_much', refundable };

  const refund = await gateway.refund({
    paymentIntentId: input.paymentIntentId,
    amount: input.amount,
    idempotencyKey: key,
  });
  await inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('card_refunds')
      .values({
        idempotency_key: key,
        refund_id: input.refundId,
        payment_intent_id: input.paymentIntentId,
        store_id: input.storeId,
        amount: input.amount,
        stripe_refund_id: refund.refundId,
        status: refund.status,
        created_at: isoNow(deps.clock),
      })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows !== 1n) return;
    await trx
      .updateTable('payment_intents')
      .set((eb) => ({
        amount_refunded: eb('amount_refunded', '+', input.amount),
        updated_at: isoNow(deps.clock),
      }))
      .where('id', '=', input.paymentIntentId)
      .execute();
  });
  return { kind: 'refunded', stripeRefundId: refund.refundId, status: refund.status };
}
