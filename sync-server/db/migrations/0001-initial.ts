import type { Kysely, Migration } from 'kysely';

/**
 * The walking skeleton's tables. Written with Kysely's schema builder only, so the same
 * migration runs on PostgreSQL later. `seq` is the server's change sequence (db/seq.ts);
 * the (store_id, seq) indexes serve every pull.
 */
/** The tables this migration writes rows to, as they are at this migration (not as they are now). */
type TablesHere = { counters: { name: string; value: number } };

export const initial: Migration = {
  async up(db: Kysely<TablesHere>) {
    await db.schema
      .createTable('stores')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('currency', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('terminals')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('code_prefix', 'text', (col) => col.notNull().unique())
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('code_key_enc', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_seen_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('pairing_codes')
      .addColumn('code_hash', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('used_at', 'text')
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('price', 'integer', (col) => col.notNull())
      .addColumn('currency', 'text', (col) => col.notNull())
      .addColumn('active', 'integer', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('sales')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('terminal_id', 'text', (col) => col.notNull().references('terminals.id'))
      .addColumn('receipt_number', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('entitlements')
      .addColumn('code', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull().references('stores.id'))
      .addColumn('sale_id', 'text', (col) => col.notNull().references('sales.id'))
      .addColumn('product_id', 'text', (col) => col.notNull())
      .addColumn('product_name', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('consumed_at', 'text')
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('value', 'integer', (col) => col.notNull())
      .execute();

    for (const table of ['products', 'sales', 'entitlements']) {
      await db.schema
        .createIndex(`${table}_store_seq`)
        .on(table)
        .columns(['store_id', 'seq'])
        .execute();
    }
    await db.schema.createIndex('entitlements_sale').on('entitlements').column('sale_id').execute();
    await db.schema.createIndex('sales_terminal').on('sales').column('terminal_id').execute();

    await db.insertInto('counters').values({ name: 'change_seq', value: 0 }).execute();
  },

  async down(db: Kysely<TablesHere>) {
    for (const table of [
      'counters',
      'entitlements',
      'sales',
      'products',
      'pairing_codes',
      'terminals',
      'stores',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
