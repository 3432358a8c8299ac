import { randomBytes } from 'node:crypto';
import { databaseUrl } from '../../test/postgres/databases.ts';
import { claimDatabase, releaseDatabase, type SeedRows } from '../../test/postgres/reusable.ts';
import {
  PG_ADMIN_URL_ENV,
  PG_SEEDS_ENV,
  PG_TEMPLATE_ENV,
  testEngine,
  type TestEngine,
} from '../../test/postgres/test-env.ts';
import { openDatabase, openPostgres } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Db } from '../db/schema.ts';

export { testEngine, type TestEngine };

/**
 * A database of its own for one test on the engine under test; `drop()` empties it for the next
 * test (test/postgres/reusable.ts), so call it once the test is done with it.
 */
export type FreshDatabase = {
  readonly engine: TestEngine;
  /** PostgreSQL only: DATABASE_URL for a server process. */
  readonly url: string | undefined;
  /** What a server process needs in its environment to use this database. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
};

function postgresSettings(): { adminUrl: string; template: string; seeds: SeedRows } {
  const adminUrl = process.env[PG_ADMIN_URL_ENV];
  const template = process.env[PG_TEMPLATE_ENV];
  const seeds = process.env[PG_SEEDS_ENV];
  if (adminUrl === undefined || template === undefined || seeds === undefined) {
    throw new Error(
      'The postgres test project has no cluster: run the tests through vitest.config.ts (its global set-up starts one).',
    );
  }
  return { adminUrl, template, seeds: JSON.parse(seeds) as SeedRows };
}

/**
 * On PostgreSQL a new migrated database (a copy of the suite's template); on SQLite nothing to
 * make (a server process uses the file in its DATA_DIR).
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  const engine = testEngine();
  if (engine === 'sqlite') {
    return { engine, url: undefined, env: {}, drop: () => Promise.resolve() };
  }
  const { adminUrl, template, seeds } = postgresSettings();
  const name = await claimDatabase(
    adminUrl,
    template,
    () => `entitle_test_${randomBytes(8).toString('hex')}`,
  );
  const url = databaseUrl(adminUrl, name);
  let dropped = false;
  return {
    engine,
    url,
    env: { DATABASE_URL: url },
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await releaseDatabase(adminUrl, name, seeds);
    },
  };
}

/**
 * A migrated, empty database on the engine under test: SQLite in memory, or a fresh PostgreSQL
 * database that `db.destroy()` also hands back emptied, so every test's `close()` cleans up on
 * both engines.
 */
export async function openTestDatabase(): Promise<Db> {
  if (testEngine() === 'sqlite') {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    return db;
  }
  const fresh = await freshDatabase();
  const db = openPostgres(fresh.url ?? '', { max: 5 });
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    await fresh.drop();
  };
  return db;
}
