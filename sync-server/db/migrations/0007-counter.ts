import type { Kysely, Migration } from 'kysely';

/**
 * The counter (issue #4): tax classes and barcodes on products; card PaymentIntents the server
 * created for terminals (so a terminal can only capture, cancel or refund its own); refunds
 * pushed by terminals, with the flag a manager sees when an offline refund met a used code.
 */
export const counter: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tax_classes')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      // Thousandths of a percent: 20 % is 20000, 8.875 % is 8875 (shared/pricing/percent.ts).
      .addColumn('milli_percent', 'integer', (col) => col.notNull())
      .addColumn('inclusive', 'integer', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.alterTable('products').addColumn('barcode', 'text').execute();
    await db.schema
      .alterTable('products')
      .addColumn('tax_class_id', 'text', (col) => col.references('tax_classes.id'))
      .execute();
    await db.schema
      .createIndex('products_store_barcode')
      .on('products')
      .columns(['store_id', 'barcode'])
      .execute();

    await db.schema
      .createTable('payment_intents')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      .addColumn('sale_id', 'text', (col) => col.notNull())
      .addColumn('amount', 'integer', (col) => col.notNull())
      .addColumn('amount_captured', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('amount_refunded', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('currency', 'text', (col) => col.notNull())
      // Stripe's status as last seen: requires_payment_method … succeeded | canceled.
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('payment_intents_sale')
      .on('payment_intents')
      .columns(['sale_id'])
      .execute();

    await db.schema
      .createTable('sale_refunds')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      // Not a foreign key: a refund taken offline may reach the server before its sale.
      .addColumn('sale_id', 'text', (col) => col.notNull())
      .addColumn('receipt_number', 'text', (col) => col.notNull())
      .addColumn('amount', 'integer', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('taken_offline', 'integer', (col) => col.notNull())
      /** Why a manager must look at it (a used code was refunded offline); null when fine. */
      .addColumn('flag', 'text')
      .addColumn('applied_at', 'text')
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('sale_refunds_sale')
      .on('sale_refunds')
      .columns(['sale_id'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('sale_refunds_sale').execute();
    await db.schema.dropTable('sale_refunds').execute();
    await db.schema.dropIndex('payment_intents_sale').execute();
    await db.schema.dropTable('payment_intents').execute();
    await db.schema.dropIndex('products_store_barcode').execute();
    await db.schema.alterTable('products').dropColumn('tax_class_id').execute();
    await db.schema.alterTable('products').dropColumn('barcode').execute();
    await db.schema.dropTable('tax_classes').execute();
  },
};
