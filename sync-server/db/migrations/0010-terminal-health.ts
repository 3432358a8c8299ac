import type { Kysely, Migration } from 'kysely';

/**
 * What the dashboard shows of a till's health beyond "last seen": the backlog it reports with
 * each request (the server cannot count documents that have not reached it) and the last
 * document the server refused from it.
 */
const COLUMNS = [
  ['reported_pending', 'integer'],
  ['reported_pending_at', 'text'],
  ['last_refusal', 'text'],
  ['last_refusal_at', 'text'],
] as const;

export const terminalHealth: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [name, type] of COLUMNS) {
      await db.schema.alterTable('terminals').addColumn(name, type).execute();
    }
  },

  async down(db: Kysely<unknown>) {
    for (const [name] of COLUMNS) {
      await db.schema.alterTable('terminals').dropColumn(name).execute();
    }
  },
};
