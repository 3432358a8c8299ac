import type { Kysely, Migration } from 'kysely';

/**
 * Product templates (what a sale issues) and the gift-card ledger (issue #3). A card's balance is
 * the sum of its ledger entries, never a stored counter that two requests could both decrement;
 * `amount` is always positive and `kind` gives the sign. `idempotency_key` is UNIQUE so a
 * replayed issue or spend is one row, whatever the timing.
 */
export const giftCards: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('product_templates')
      .addColumn('product_id', 'text', (col) => col.primaryKey().references('products.id'))
      // JSON text, validated with the shared ProductTemplate schema on write and on read.
      .addColumn('template', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('gift_card_ledger')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('code', 'text', (col) => col.notNull().references('entitlements.code'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('amount', 'integer', (col) => col.notNull())
      .addColumn('currency', 'text', (col) => col.notNull())
      .addColumn('reference', 'text')
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('idempotency_key', 'text', (col) => col.unique())
      // A receipt's "balance after": recorded for replies and replays, never read to decide.
      .addColumn('balance_after', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('gift_card_ledger_code')
      .on('gift_card_ledger')
      .column('code')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('gift_card_ledger_code').execute();
    await db.schema.dropTable('gift_card_ledger').execute();
    await db.schema.dropTable('product_templates').execute();
  },
};
