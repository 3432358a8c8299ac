import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

export const DATABASE_FILE = 'entitle.sqlite';

/**
 * Opens the embedded SQLite database. `':memory:'` gives a private database for a test.
 * WAL lets the `pairing-code` command write while the server runs; busy_timeout makes the
 * second writer wait instead of failing.
 */
export function openDatabase(location: string): Kysely<Database> {
  const sqlite = new SQLite(location);
  if (location !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** The database file inside the data directory, creating the directory if needed. */
export function databasePath(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, DATABASE_FILE);
}
