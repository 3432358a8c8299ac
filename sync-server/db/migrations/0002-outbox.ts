import type { Kysely, Migration } from 'kysely';

/**
 * The outbox (DESIGN invariant 5): side effects as rows written in the transaction of the fact
 * that caused them, delivered later by outbox/worker.ts. `payload` is JSON in TEXT; times are
 * ISO strings, so `next_attempt_at <= now` compares as text on SQLite and PostgreSQL alike.
 * A 'pending' row whose `next_attempt_at` lies ahead is either waiting to be retried or leased
 * by a worker that is delivering it right now (see claim in outbox/worker.ts).
 */
export const outbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('next_attempt_at', 'text', (col) => col.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['state', 'next_attempt_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('outbox').execute();
  },
};
