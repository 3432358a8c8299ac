import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Each code's status row names the terminal that issued it (`entitlements.terminal_id`, the
 * terminal of its sale), so a till pulls the statuses of its own codes only: a code is a bearer
 * credential, and a till has no use for another till's (it reads a status only on the receipt
 * of a sale it stored itself). The pull reads them by `(terminal_id, seq)`.
 *
 * Rows that exist get their sale's terminal. The column stays nullable in the table (SQLite
 * cannot add a NOT NULL column without a default); every insert sets it.
 */
export const statusOwner: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('entitlements').addColumn('terminal_id', 'text').execute();
    await sql`UPDATE entitlements SET terminal_id =
      (SELECT sales.terminal_id FROM sales WHERE sales.id = entitlements.sale_id)`.execute(db);
    await db.schema
      .createIndex('entitlements_terminal_seq')
      .on('entitlements')
      .columns(['terminal_id', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('entitlements_terminal_seq').execute();
    await db.schema.alterTable('entitlements').dropColumn('terminal_id').execute();
  },
};
