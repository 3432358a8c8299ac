import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * On PostgreSQL the request counters (`rate_limits`, 0011) are an UNLOGGED table: their writes
 * skip the write-ahead log, so a counted request commits without waiting for a WAL flush. Every
 * portal request counts, in one row per route and client address, and that row's lock was held
 * until the fsync of its commit: requests from one address (or through one proxy) went one fsync
 * at a time (bench/load/). The counters are worth no durability: after a crash PostgreSQL empties
 * the table (counts start again, as an instance's memory counters do on a restart), and a
 * standby does not have it (after a failover, the same). SQLite has no such tables: unchanged.
 */
export const unloggedLimits: Migration = {
  async up(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    await sql`ALTER TABLE rate_limits SET UNLOGGED`.execute(db);
  },

  async down(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    await sql`ALTER TABLE rate_limits SET LOGGED`.execute(db);
  },
};

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
