import {
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackupCommand } from '../../sync-server/backup/commands.ts';
import { findPgTool, majorOf } from '../../sync-server/backup/pg-tools.ts';
import { backupSqlite } from '../../sync-server/backup/sqlite-backup.ts';
import {
  databasePath,
  locationOf,
  openDatabase,
  openLocation,
} from '../../sync-server/db/connection.ts';
import { migrateToLatest } from '../../sync-server/db/migrate.ts';
import { freshDatabase, type FreshDatabase } from '../../sync-server/test-support/test-database.ts';
import { tempDir } from './support.ts';

/**
 * The commands' refusals, in-process on the engine under test: each says what to do and leaves
 * the files and the database as they were.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dir(name: string): string {
  const path = tempDir(name);
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A data directory with a migrated database on the engine under test. */
async function liveStore(): Promise<{ fresh: FreshDatabase; dataDir: string }> {
  const fresh = await freshDatabase();
  cleanups.push(() => fresh.drop());
  const dataDir = dir('data');
  if (fresh.engine === 'sqlite') {
    const db = openDatabase(databasePath(dataDir));
    await migrateToLatest(db);
    await db.destroy();
  }
  return { fresh, dataDir };
}

function run(
  command: 'backup' | 'restore',
  store: { fresh: FreshDatabase; dataDir: string },
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  said: string[] = [],
) {
  const config = {
    dataDir: store.dataDir,
    ...(store.fresh.url === undefined ? {} : { databaseUrl: store.fresh.url }),
  };
  return runBackupCommand(command, config, args, {
    say: (line) => said.push(line),
    clock: () => new Date('2026-11-27T10:00:00Z'),
    env,
  });
}

/** A stand-in pg_dump that only tells its version. */
function fakeTool(folder: string, name: string, version: string): void {
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\necho "${name} (PostgreSQL) ${version}"\n`);
  chmodSync(path, 0o755);
}

async function migrationsLeft(store: { fresh: FreshDatabase; dataDir: string }): Promise<number> {
  const db = openLocation(locationOf({ dataDir: store.dataDir, databaseUrl: store.fresh.url }));
  try {
    const result = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(db);
    return Number(result.rows[0]?.n);
  } finally {
    await db.destroy();
  }
}

describe('backup: refusals, and the SQLite copy itself', () => {
  it('refuses to overwrite an existing file unless told, and then overwrites it', async () => {
    const store = await liveStore();
    const file = join(dir('files'), 'existing.backup');
    writeFileSync(file, 'keep me');
    await expect(run('backup', store, [file])).rejects.toThrow(/already exists.*--overwrite/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');

    const said: string[] = [];
    await expect(run('backup', store, [file, '--overwrite'], process.env, said)).resolves.toEqual(
      expect.objectContaining({ sales: 0, codes: 0 }),
    );
    expect(readFileSync(file).subarray(0, 7).toString()).not.toBe('keep me');
    expect(said.join('\n')).toMatch(/master\.key is not in the backup/);
  });

  it('refuses a missing or unknown argument, the database itself as target, and a SQLite data directory with no database', async () => {
    const store = await liveStore();
    await expect(run('backup', store, [])).rejects.toThrow(/Give one file/);
    await expect(run('restore', store, ['a', '--overwrite'])).rejects.toThrow(/Unknown option/);
    const itself = join(store.dataDir, 'entitle.sqlite');
    if (store.fresh.engine === 'sqlite') {
      await expect(run('backup', store, [itself, '--overwrite'])).rejects.toThrow(
        /is the database itself/,
      );
    }
    await expect(
      backupSqlite({
        dataDir: dir('empty'),
        file: join(dir('files'), 'x'),
        overwrite: false,
        say: () => undefined,
      }),
    ).rejects.toThrow(/There is no database at .*Check DATA_DIR/);
  });

  it('says when pg_dump is missing or older than the server, and picks the newest one found', async () => {
    const empty = dir('no-tools');
    const nowhere = { env: { PATH: empty }, postgresRoot: join(empty, 'none') };
    await expect(findPgTool('pg_dump', nowhere, 15)).rejects.toThrow(
      /pg_dump was not found on PATH .*apt install postgresql-client-15.*PG_BIN/,
    );
    await expect(findPgTool('pg_dump', { env: { PG_BIN: empty } }, 15)).rejects.toThrow(
      `pg_dump was not found in PG_BIN=${empty}`,
    );

    const [old, current] = [dir('old-tools'), dir('new-tools')];
    fakeTool(old, 'pg_dump', '9.6.24');
    fakeTool(current, 'pg_dump', '16.2 (Debian 16.2-1)');
    await expect(findPgTool('pg_dump', { env: { PG_BIN: old } }, 15)).rejects.toThrow(
      /version 9, older than the PostgreSQL server \(15\)/,
    );
    const search = { env: { PATH: `${old}:${current}` }, postgresRoot: join(empty, 'none') };
    await expect(findPgTool('pg_dump', search, 15)).resolves.toEqual({
      path: join(current, 'pg_dump'),
      major: 16,
    });
    expect(majorOf('pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe(15);

    // The command itself on PostgreSQL: refused before writing anything.
    const store = await liveStore();
    if (store.fresh.engine === 'postgres') {
      const file = join(dir('files'), 'never.backup');
      await expect(run('backup', store, [file], { PG_BIN: empty })).rejects.toThrow(
        /pg_dump was not found in PG_BIN/,
      );
      expect(existsSync(file)).toBe(false);
    }
  });

  it('finishes while the server writes between its steps, with what was written', async () => {
    const source = dir('busy');
    const db = openDatabase(databasePath(source));
    await migrateToLatest(db);
    await db.destroy();
    const server = new SQLite(databasePath(source));
    server.pragma('journal_mode = WAL');
    server.exec('CREATE TABLE filler (bytes BLOB); INSERT INTO filler VALUES (zeroblob(8000000))');
    const said: string[] = [];
    const file = join(dir('files'), 'busy.sqlite');
    // A write from another connection on every line the backup prints, as a busy till would.
    const write = server.prepare('INSERT INTO filler VALUES (zeroblob(10))');
    await backupSqlite({
      dataDir: source,
      file,
      overwrite: false,
      say: (line) => {
        said.push(line);
        write.run();
      },
      progressOverPages: 0,
    });
    server.close();
    expect(said).toContain('The server wrote during the copy: copying the rest in one step.');
    const copy = new SQLite(file, { readonly: true });
    const rows = (copy.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n;
    copy.close();
    // The first progress line's write made the copy start over, and the rest was one snapshot.
    expect(rows).toBeGreaterThanOrEqual(2);
  });

  it('writes progress lines for a big database (every database counts as big here)', async () => {
    const said: string[] = [];
    const source = dir('sqlite');
    const db = openDatabase(databasePath(source));
    await migrateToLatest(db);
    await db.destroy();
    // About 2,000 pages (8 MB), so the copy takes more than one step.
    const filler = new SQLite(databasePath(source));
    filler.exec('CREATE TABLE filler (bytes BLOB); INSERT INTO filler VALUES (zeroblob(8000000))');
    filler.close();
    await backupSqlite({
      dataDir: source,
      file: join(dir('files'), 'big.sqlite'),
      overwrite: false,
      say: (line) => said.push(line),
      progressOverPages: 0,
    });
    expect(said[0]).toMatch(/^Copied [1-9]0% \(\d+\.\d MB of 8\.\d MB\)$/);
    expect(said.at(-2)).toMatch(/^Backed up .* \(8\.\d MB, checked\)/);
  });
});

describe('restore refusals', () => {
  it('refuses a missing file, a file that is not a backup and a damaged backup, changing nothing', async () => {
    const store = await liveStore();
    const files = dir('files');
    await expect(run('restore', store, [join(files, 'absent')])).rejects.toThrow(
      /There is no backup at/,
    );

    const garbage = join(files, 'garbage.backup');
    writeFileSync(garbage, 'PGDMP? SQLite format 3? neither'.repeat(200));
    await expect(run('restore', store, [garbage])).rejects.toThrow(/not a usable/);

    const other = join(files, 'other.sqlite');
    const foreign = new SQLite(other);
    foreign.exec('CREATE TABLE notes (body TEXT)');
    foreign.close();
    if (store.fresh.engine === 'sqlite') {
      await expect(run('restore', store, [other])).rejects.toThrow(/not an Entitle one/);
    } else {
      await expect(run('restore', store, [other])).rejects.toThrow(
        /not a usable PostgreSQL backup/,
      );
    }

    // A real backup cut short, as a failed copy to a full disk leaves it.
    const cut = join(files, 'cut.backup');
    await run('backup', store, [cut]);
    truncateSync(cut, Math.floor(readFileSync(cut).length / 2));
    await expect(run('restore', store, [cut])).rejects.toThrow(/damaged|not a usable/);

    // The database is still the one it was, and nothing was put aside or restored half-way.
    expect(await migrationsLeft(store)).toBeGreaterThan(5);
    expect(readdirSync(store.dataDir).filter((name) => /restor|backups/.test(name))).toEqual([]);
  });
});
