import type { Kysely, Migration } from 'kysely';

/**
 * Customer accounts (issue #3, deferred onboarding): accounts keyed by e-mail, single-use
 * magic-link tokens and browser sessions (only SHA-256 hashes of the secrets are stored), the
 * history of every entitlement state change, and who holds or bought each code.
 */
export const accounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (col) => col.primaryKey())
      // Stored trimmed and lower-cased, so UNIQUE is the whole race story of find-or-create.
      .addColumn('email', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('login_tokens')
      .addColumn('token_hash', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('purpose', 'text', (col) => col.notNull())
      .addColumn('code', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('login_tokens_email_created')
      .on('login_tokens')
      .columns(['email', 'created_at'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (col) => col.primaryKey())
      .addColumn('account_id', 'text', (col) => col.notNull().references('accounts.id'))
      .addColumn('csrf_token', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('entitlement_events')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('code', 'text', (col) => col.notNull())
      .addColumn('from_state', 'text', (col) => col.notNull())
      .addColumn('to_state', 'text', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('entitlement_events_code')
      .on('entitlement_events')
      .columns(['code', 'at'])
      .execute();

    await db.schema.alterTable('entitlements').addColumn('holder_account_id', 'text').execute();
    await db.schema.alterTable('entitlements').addColumn('buyer_account_id', 'text').execute();
    await db.schema.alterTable('entitlements').addColumn('claimed_at', 'text').execute();
    await db.schema
      .createIndex('entitlements_holder')
      .on('entitlements')
      .column('holder_account_id')
      .execute();
    await db.schema
      .createIndex('entitlements_buyer')
      .on('entitlements')
      .column('buyer_account_id')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('entitlements_buyer').execute();
    await db.schema.dropIndex('entitlements_holder').execute();
    for (const column of ['claimed_at', 'buyer_account_id', 'holder_account_id']) {
      await db.schema.alterTable('entitlements').dropColumn(column).execute();
    }
    for (const table of ['entitlement_events', 'sessions', 'login_tokens', 'accounts']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
