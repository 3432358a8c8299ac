import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import type { Database, Db, DbOrTrx } from './schema.ts';

export const DATABASE_FILE = 'entitle.sqlite';

/** Where the server keeps its rows: the embedded SQLite file, or PostgreSQL from DATABASE_URL. */
export type DatabaseLocation =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string };

/**
 * Opens the embedded SQLite database. `':memory:'` gives a private database for a test.
 * WAL lets the `pairing-code` command write while the server runs; busy_timeout makes the
 * second writer wait instead of failing.
 */
export function openDatabase(location: string): Db {
  const sqlite = new SQLite(location);
  if (location !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
  });
}

/** Distinct SQL texts whose prepared statement is kept (the server has a few hundred queries). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query it runs, and preparing cost more than running the portal's
 * lookups (profiled under load, bench/load/). This keeps the most recently used statements by
 * their SQL text; SQLite re-prepares a kept statement by itself after a schema change. Safe
 * because Kysely runs one query at a time on the connection and nothing here streams rows
 * (a statement busy iterating could not run again meanwhile).
 */
export function reusingStatements(
  sqlite: SQLite.Database,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const kept = new Map<string, SqliteStatement>();
  return {
    close() {
      kept.clear();
      sqlite.close();
    },
    prepare(sql) {
      const found = kept.get(sql);
      if (found) {
        // Most recently used last: the first key is the one to drop.
        kept.delete(sql);
        kept.set(sql, found);
        return found;
      }
      const statement = sqlite.prepare(sql);
      kept.set(sql, statement);
      if (kept.size > size) {
        const oldest = kept.keys().next().value;
        if (oldest !== undefined) kept.delete(oldest);
      }
      return statement;
    },
  };
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * count(*) and sum() are bigint or numeric in PostgreSQL, which `pg` hands over as strings. Every
 * number this server stores (minor units, sequences, counts) is far below 2^53, so they become
 * JavaScript numbers, as SQLite gives them. Per pool, not pg's global parsers.
 */
const numericTypes = new pg.TypeOverrides();
numericTypes.setTypeParser(PG_INT8, 'text', Number);
numericTypes.setTypeParser(PG_NUMERIC, 'text', Number);

export type PostgresOptions = {
  /** Connections in the pool; default 10. */
  readonly max?: number;
  /** Told when an idle connection breaks (the database restarted); the pool opens a new one. */
  readonly onIdleError?: (error: Error) => void;
};

/** Opens a pool on PostgreSQL. The schema is the one migrations create; see migrate.ts. */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: numericTypes,
    application_name: 'entitle-sync-server',
    connectionTimeoutMillis: 10_000,
  });
  // Without a listener an idle client's error (database restarted) would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  // The pool stops listening to a client it hands out, and pg emits 'error' on a client whose
  // connection breaks: a connection terminated mid-transaction (database restarted, made
  // read-only, failover) would crash the server. The query in flight still fails with the
  // error (a 503, http/errors.ts) and the pool drops the dead client on release (issue #6).
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens whichever engine the location names. */
export function openLocation(location: DatabaseLocation, options: PostgresOptions = {}): Db {
  return location.engine === 'postgres'
    ? openPostgres(location.url, options)
    : openDatabase(location.file);
}

/** PostgreSQL when DATABASE_URL is set, otherwise `entitle.sqlite` in the data directory. */
export function locationOf(settings: {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
}): DatabaseLocation {
  return settings.databaseUrl === undefined
    ? { engine: 'sqlite', file: databasePath(settings.dataDir) }
    : { engine: 'postgres', url: settings.databaseUrl };
}

export function isPostgres(db: DbOrTrx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The database file inside the data directory, creating the directory if needed. */
export function databasePath(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, DATABASE_FILE);
}
