import type { Kysely, Migration } from 'kysely';

/**
 * Card refunds the server made at Stripe, one row per (refund, PaymentIntent): the record that
 * lets a retried request or outbox job return the same Stripe refund without counting its amount
 * into payment_intents.amount_refunded twice.
 */
export const refunds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('card_refunds')
      // `${refundId}:${paymentIntentId}`: also the idempotency key sent to Stripe.
      .addColumn('idempotency_key', 'text', (col) => col.primaryKey())
      .addColumn('refund_id', 'text', (col) => col.notNull())
      .addColumn('payment_intent_id', 'text', (col) => col.notNull())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('amount', 'integer', (col) => col.notNull())
      .addColumn('stripe_refund_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('sale_refunds_flagged')
      .on('sale_refunds')
      .columns(['store_id', 'flag'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('sale_refunds_flagged').execute();
    await db.schema.dropTable('card_refunds').execute();
  },
};
