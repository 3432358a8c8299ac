import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { devNull } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { renewGenerationPostgres } from '../generation/renew.ts';
import {
  connectionForChild,
  findPgTool,
  runPgTool,
  serverMajorOf,
  type PgTool,
  type ToolSearch,
} from './pg-tools.ts';
import {
  BackupRefused,
  describeContents,
  fileStamp,
  masterKeyReminder,
  type BackupContents,
  type Say,
} from './refused.ts';
import { sayAboutMasterKey } from './sqlite-backup.ts';

/** The name the server's own pool gives its connections (db/connection.ts). */
const SERVER_APPLICATION_NAME = 'entitle-sync-server';

type Common = {
  /** DATABASE_URL. */
  readonly url: string;
  readonly file: string;
  /** DATA_DIR: where the master key is, and where a restore keeps the database it replaces. */
  readonly dataDir: string;
  readonly say: Say;
  readonly search: ToolSearch;
};

export type PostgresBackupOptions = Common & { readonly overwrite: boolean };
export type PostgresRestoreOptions = Common & { readonly now: Date };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'entitle-backup' });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new BackupRefused(
      `Cannot connect to the database in DATABASE_URL (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return client;
}

async function serverMajor(client: pg.Client): Promise<number> {
  const result = await client.query<{ num: string }>(
    "SELECT current_setting('server_version_num') AS num",
  );
  return serverMajorOf(Number(result.rows[0]?.num));
}

async function hasSchema(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ present: boolean }>(
    "SELECT to_regclass('kysely_migration') IS NOT NULL AS present",
  );
  return result.rows[0]?.present === true;
}

async function contentsOf(client: pg.Client): Promise<BackupContents> {
  const result = await client.query<{ sales: string; codes: string }>(
    'SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM entitlements) AS codes',
  );
  const row = result.rows[0];
  return { sales: Number(row?.sales), codes: Number(row?.codes) };
}

async function changeSeq(client: pg.Client): Promise<number> {
  const result = await client.query<{ value: number }>(
    "SELECT value FROM counters WHERE name = 'change_seq'",
  );
  return result.rows[0]?.value ?? 0;
}

/** Checks a dump with pg_restore: it must be whole and hold the Entitle tables. */
async function checkDump(
  pgRestore: PgTool,
  file: string,
  env: ToolSearch['env'],
): Promise<string[]> {
  const listing = await runPgTool(
    pgRestore,
    ['--list', file],
    { ...env },
    `${file} is not a usable PostgreSQL backup`,
  );
  for (const table of ['kysely_migration', 'sales', 'entitlements']) {
    if (!new RegExp(`TABLE DATA \\S+ ${table} `).test(listing)) {
      throw new BackupRefused(
        `${file} is a PostgreSQL dump but not of an Entitle database (no ${table} table). Use a file made by \`npm run server -- backup\`.`,
      );
    }
  }
  // The listing reads only the table of contents at the start; reading every row as SQL (thrown
  // away) finds a file that was cut short or damaged after it.
  await runPgTool(
    pgRestore,
    [`--file=${devNull}`, file],
    { ...env },
    `${file} is damaged: its contents cannot be read in full`,
  );
  return [...listing.matchAll(/TABLE DATA \S+ (\S+) /g)].map((match) => match[1] ?? '');
}

/**
 * `pg_dump --format=custom` of DATABASE_URL while the servers keep running. The dump reads a
 * snapshot this connection exports, so the sales and codes counted here are exactly the ones in
 * the file. Written beside the target, checked with pg_restore --list, then renamed into place.
 */
export async function backupPostgres(options: PostgresBackupOptions): Promise<BackupContents> {
  const target = resolve(options.file);
  if (existsSync(target) && !options.overwrite) {
    throw new BackupRefused(
      `${target} already exists. Choose another file, or add --overwrite to replace it.`,
    );
  }
  const client = await connect(options.url);
  const partial = `${target}.partial`;
  let contents: BackupContents;
  try {
    const major = await serverMajor(client);
    const pgDump = await findPgTool('pg_dump', options.search, major);
    const pgRestore = await findPgTool('pg_restore', options.search, major);
    if (!(await hasSchema(client))) {
      throw new BackupRefused(
        'The database in DATABASE_URL has no Entitle tables: start the server on it once, or check the URL.',
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    rmSync(partial, { force: true });
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const exported = await client.query<{ snapshot: string }>(
      'SELECT pg_export_snapshot() AS snapshot',
    );
    contents = await contentsOf(client);
    const child = connectionForChild(options.url, options.search.env);
    try {
      await runPgTool(
        pgDump,
        [
          '--format=custom',
          `--snapshot=${exported.rows[0]?.snapshot ?? ''}`,
          `--file=${partial}`,
          `--dbname=${child.dbname}`,
        ],
        child.env,
        'pg_dump failed; nothing was written',
      );
      await checkDump(pgRestore, partial, options.search.env);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  renameSync(partial, target);
  const size = (statSync(target).size / 1_048_576).toFixed(1);
  options.say(
    `Backed up the PostgreSQL database to ${target} (${size} MB, pg_dump custom format, checked): ${describeContents(contents)}.`,
  );
  options.say(masterKeyReminder(options.dataDir));
  return contents;
}

/**
 * `pg_restore --clean --if-exists --no-owner` of a dump into DATABASE_URL, in one transaction.
 * Refused while a server is connected to the database. The database it replaces is dumped first
 * to DATA_DIR/backups/, and the change sequence never goes back (see restoreSqlite).
 */
export async function restorePostgres(options: PostgresRestoreOptions): Promise<BackupContents> {
  const backup = resolve(options.file);
  if (!existsSync(backup)) throw new BackupRefused(`There is no backup at ${backup}.`);
  const client = await connect(options.url);
  try {
    const major = await serverMajor(client);
    const pgRestore = await findPgTool('pg_restore', options.search, major);
    const dumped = await checkDump(pgRestore, backup, options.search.env);
    const servers = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()',
      [SERVER_APPLICATION_NAME],
    );
    if (Number(servers.rows[0]?.n) > 0) {
      throw new BackupRefused(
        'A server is connected to the database in DATABASE_URL. Stop every server instance, then run the restore again. Nothing was changed.',
      );
    }
    let seqBefore = 0;
    if (await hasSchema(client)) {
      seqBefore = await changeSeq(client);
      const aside = join(
        options.dataDir,
        'backups',
        `before-restore-${fileStamp(options.now)}.dump`,
      );
      await backupPostgres({ ...options, file: aside, overwrite: false, say: () => undefined });
      options.say(`The database it replaces was saved first to ${aside}.`);
    }
    const child = connectionForChild(options.url, options.search.env);
    await runPgTool(
      pgRestore,
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--single-transaction',
        `--dbname=${child.dbname}`,
        backup,
      ],
      child.env,
      'pg_restore failed; the database was left as it was',
    );
    const newer = await tablesNotIn(client, dumped);
    await afterRestore(client, seqBefore, newer);
    if (newer.length > 0) {
      options.say(
        `Removed the tables the backup predates (${newer.join(', ')}): the server makes them again, empty, as it starts.`,
      );
    }
    const contents = await contentsOf(client);
    options.say(`Restored ${backup} into the PostgreSQL database: ${describeContents(contents)}.`);
    sayAboutMasterKey(options.dataDir, options.say);
    options.say('Start the servers: they bring the schema up to date (migrations) as they start.');
    return contents;
  } finally {
    await client.end();
  }
}

/**
 * Tables of the database the dump does not hold: made by migrations newer than the backup.
 * pg_restore --clean leaves them, and the migrations the restored database lacks would then fail
 * to create them at the next start.
 */
async function tablesNotIn(client: pg.Client, dumped: readonly string[]): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
  );
  return result.rows.map((row) => row.name).filter((name) => !dumped.includes(name));
}

/**
 * Drops the tables the backup predates (their rows are in the dump of the replaced database) and
 * keeps the change sequence going forward: terminals pull with the last change number they saw
 * as checkpoint, and after a restore to an older point the counter would hand out numbers they
 * have already passed, so they would miss those changes.
 */
async function afterRestore(
  client: pg.Client,
  seqBefore: number,
  newer: readonly string[],
): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const table of newer) {
      await client.query(`DROP TABLE IF EXISTS "${table.replaceAll('"', '""')}" CASCADE`);
    }
    await client.query(
      "UPDATE counters SET value = greatest(value, $1::integer) WHERE name = 'change_seq'",
      [seqBefore],
    );
    // Terminals that see the new generation push everything they hold again and pull from the
    // start: the backup lacks what the server confirmed after it (generation/generation.ts).
    await renewGenerationPostgres(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
