import type { Kysely, Migration } from 'kysely';

/**
 * Counters that several server instances on one PostgreSQL must share, or each instance would
 * allow its own quota: the per-route request limits (http/rate-limit-store.ts) and the
 * dashboard's failed sign-ins (dashboard/signin-limiter.ts). Times are epoch milliseconds.
 */
export const sharedLimits: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rate_limits')
      // "<method> <route> <client key>"
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('hits', 'integer', (col) => col.notNull())
      .addColumn('resets_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('rate_limits_resets')
      .on('rate_limits')
      .column('resets_at')
      .execute();
    await db.schema
      .createTable('signin_failures')
      // "address:<ip>" or "email:<lower-cased address>"
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('failed_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('signin_failures_key')
      .on('signin_failures')
      .columns(['key', 'failed_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('signin_failures').execute();
    await db.schema.dropTable('rate_limits').execute();
  },
};
