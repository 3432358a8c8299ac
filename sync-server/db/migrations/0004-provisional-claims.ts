import type { Kysely, Migration } from 'kysely';

/**
 * Provisional claims (issue #3): a genuine code claimed before its sale reached the server. One
 * row per code, ever: a lapsed or cancelled claim is not renewed (shared/lifecycle/provisional.ts);
 * once the sale arrives the code is claimed the ordinary way.
 */
export const provisionalClaims: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('provisional_claims')
      .addColumn('code', 'text', (col) => col.primaryKey())
      .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .execute();
    await db.schema
      .createIndex('provisional_claims_state_expires')
      .on('provisional_claims')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('provisional_claims_account')
      .on('provisional_claims')
      .column('account_id')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('provisional_claims').execute();
  },
};
