import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '../../test/postgres/databases.ts';
import {
  PG_ADMIN_URL_ENV,
  PG_TEMPLATE_ENV,
  testEngine,
  type TestEngine,
} from '../../test/postgres/test-env.ts';
import { openDatabase, openPostgres } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Db } from '../db/schema.ts';

export { testEngine, type TestEngine };

/** A database of its own for one test on the engine under test; `drop()` removes it. */
export type FreshDatabase = {
  readonly engine: TestEngine;
  /** PostgreSQL only: DATABASE_URL for a server process. */
  readonly url: string | undefined;
  /** What a server process needs in its environment to use this database. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
};

function postgresSettings(): { adminUrl: string; template: string } {
  const adminUrl = process.env[PG_ADMIN_URL_ENV];
  const template = process.env[PG_TEMPLATE_ENV];
  if (adminUrl === undefined || template === undefined) {
    throw new Error(
      'The postgres test project has no cluster: run the tests through vitest.config.ts (its global set-up starts one).',
    );
  }
  return { adminUrl, template };
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
  const { adminUrl, template } = postgresSettings();
  const name = `entitle_test_${randomBytes(8).toString('hex')}`;
  const url = await createDatabase(adminUrl, name, template);
  return {
    engine,
    url,
    env: { DATABASE_URL: url },
    drop: () => dropDatabase(adminUrl, name),
  };
}

/**
 * A migrated, empty database on the engine under test: SQLite in memory, or a fresh PostgreSQL
 * database that `db.destroy()` also drops, so every test's `close()` cleans up on both engines.
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
