import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { DATABASE_FILE } from '../db/connection.ts';
import { renewGenerationSqlite } from '../generation/renew.ts';
import {
  BackupRefused,
  describeContents,
  fileStamp,
  masterKeyPath,
  masterKeyReminder,
  type BackupContents,
  type Say,
} from './refused.ts';

/**
 * Pages copied per step of SQLite's online backup (4 MB with 4 KB pages), small enough to report
 * progress. Between steps the server may write, and a write by another connection makes SQLite
 * start the copy over; after that the rest goes in one step (see backupSqlite).
 */
const PAGES_PER_STEP = 1000;

/** The database file and the two SQLite keeps beside it in WAL mode. */
const SIDE_FILES = ['', '-wal', '-shm'] as const;

/** Databases above this many pages (about 100 MB) get progress lines. */
export const PROGRESS_OVER_PAGES = 25_600;

export type SqliteBackupOptions = {
  readonly dataDir: string;
  readonly file: string;
  readonly overwrite: boolean;
  readonly say: Say;
  /** Progress lines for databases with more pages than this; default PROGRESS_OVER_PAGES. */
  readonly progressOverPages?: number;
};

type Inspected = BackupContents & { readonly lastMigration: string };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens a copy and checks that it is a whole Entitle database: SQLite's integrity check passes,
 * and the migrations table is there. Leaves the copy in rollback-journal mode, so it is one
 * self-contained file (no -wal beside it). Throws BackupRefused otherwise.
 */
export function inspectSqliteCopy(file: string): Inspected {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = DELETE');
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (row) => row.integrity_check,
    );
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupRefused(
        `${file} is damaged (SQLite's integrity check: ${problems.slice(0, 3).join('; ')}). Use another backup.`,
      );
    }
    const migrations = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .get();
    const last = migrations
      ? (db.prepare('SELECT max(name) AS name FROM kysely_migration').get() as {
          name: string | null;
        })
      : undefined;
    if (last?.name == null) {
      throw new BackupRefused(
        `${file} is a SQLite database but not an Entitle one (it has no migrations). Use a file made by \`npm run server -- backup\`.`,
      );
    }
    const count = (table: 'sales' | 'entitlements'): number =>
      (db?.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { sales: count('sales'), codes: count('entitlements'), lastMigration: last.name };
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    throw new BackupRefused(
      `${file} is not a usable Entitle backup (${messageOf(error)}). Use another backup.`,
    );
  } finally {
    db?.close();
  }
}

function megabytes(pages: number, pageSize: number): string {
  return `${((pages * pageSize) / 1_048_576).toFixed(1)} MB`;
}

/**
 * Copies DATA_DIR/entitle.sqlite through SQLite's online backup API, which reads a consistent
 * snapshot while the server keeps selling (WAL). The copy is written beside the target, checked,
 * and only then renamed into place, so a failed backup never leaves a half file under the name.
 */
export async function backupSqlite(options: SqliteBackupOptions): Promise<BackupContents> {
  const source = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(source)) {
    throw new BackupRefused(
      `There is no database at ${source}. Check DATA_DIR (or set DATABASE_URL for PostgreSQL).`,
    );
  }
  const target = resolve(options.file);
  if (SIDE_FILES.some((suffix) => target === source + suffix)) {
    throw new BackupRefused(
      `${target} is the database itself (or its journal). Write the backup to another file.`,
    );
  }
  if (existsSync(target) && !options.overwrite) {
    throw new BackupRefused(
      `${target} already exists. Choose another file, or add --overwrite to replace it.`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });

  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const over = options.progressOverPages ?? PROGRESS_OVER_PAGES;
  let reportedTenth = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  let restarted = false;
  try {
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining && !restarted) {
          restarted = true;
          options.say('The server wrote during the copy: copying the rest in one step.');
        }
        lastRemaining = remainingPages;
        // One step holds one read snapshot to its end: writers carry on in the WAL meanwhile and
        // cannot restart it, so a busy server cannot keep a backup going round for ever.
        if (restarted) return totalPages;
        if (totalPages > over) {
          const done = totalPages - remainingPages;
          const tenth = Math.floor((done / totalPages) * 10);
          if (tenth > reportedTenth) {
            reportedTenth = tenth;
            options.say(
              `Copied ${String(tenth * 10)}% (${megabytes(done, pageSize)} of ${megabytes(totalPages, pageSize)})`,
            );
          }
        }
        return PAGES_PER_STEP;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }

  let inspected: Inspected;
  try {
    inspected = inspectSqliteCopy(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  const size = (statSync(target).size / 1_048_576).toFixed(1);
  options.say(
    `Backed up ${source} to ${target} (${size} MB, checked): ${describeContents(inspected)}, schema at ${inspected.lastMigration}.`,
  );
  options.say(masterKeyReminder(options.dataDir));
  return inspected;
}

export type SqliteRestoreOptions = {
  readonly dataDir: string;
  readonly file: string;
  readonly now: Date;
  readonly say: Say;
};

function changeSeqOf(db: SQLite.Database): number {
  const row = db.prepare("SELECT value FROM counters WHERE name = 'change_seq'").get() as
    { value: number } | undefined;
  return row?.value ?? 0;
}

/**
 * Terminals pull with the last change number they saw as checkpoint. After a restore to an older
 * point the counter would hand out numbers they have already passed, and they would miss those
 * changes; so it continues from the replaced database's value when that is higher. The restored
 * database also gets a new generation: terminals that see it push everything they hold again
 * and pull from the start (generation/generation.ts).
 */
function keepSequenceForward(file: string, seqBefore: number): void {
  const db = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    db.prepare("UPDATE counters SET value = max(value, ?) WHERE name = 'change_seq'").run(
      seqBefore,
    );
    renewGenerationSqlite(db);
  } finally {
    db.close();
  }
}

/**
 * Folds the current database's WAL back into its file so it can be moved aside as one file. The
 * switch out of WAL needs every other connection closed, so it fails at once (no busy wait) while
 * a server has the database open: that is how a running server is detected.
 */
function settleCurrent(current: string, dataDir: string): number {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(current, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = DELETE');
    return changeSeqOf(db);
  } catch (error) {
    if (error instanceof SQLite.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
      throw new BackupRefused(
        `A server is using ${dataDir} (its database is open). Stop the server, then run the restore again. Nothing was changed.`,
      );
    }
    // A damaged current database is what a restore is for: it is moved aside as it is.
    return 0;
  } finally {
    db?.close();
  }
}

/**
 * Puts a backup in place of DATA_DIR/entitle.sqlite. The backup is copied into the data directory
 * and checked first; the current database is kept, renamed with a timestamp; the server runs any
 * newer migrations when it next starts. Refused while a server has the database open.
 */
export function restoreSqlite(options: SqliteRestoreOptions): BackupContents {
  const backup = resolve(options.file);
  if (!existsSync(backup)) throw new BackupRefused(`There is no backup at ${backup}.`);
  mkdirSync(options.dataDir, { recursive: true });
  const current = join(options.dataDir, DATABASE_FILE);
  const incoming = `${current}.restoring`;
  rmSync(incoming, { force: true });
  copyFileSync(backup, incoming);

  let inspected: Inspected;
  let keptAside: string | null = null;
  try {
    inspected = inspectSqliteCopy(incoming);
    keepSequenceForward(
      incoming,
      existsSync(current) ? settleCurrent(current, options.dataDir) : 0,
    );
    if (existsSync(current)) {
      keptAside = `${current}.before-restore-${fileStamp(options.now)}`;
      for (const suffix of SIDE_FILES) {
        if (existsSync(current + suffix)) renameSync(current + suffix, keptAside + suffix);
      }
    }
  } catch (error) {
    rmSync(incoming, { force: true });
    throw error;
  }
  renameSync(incoming, current);

  options.say(
    `Restored ${backup} into ${current}: ${describeContents(inspected)}, schema at ${inspected.lastMigration}.`,
  );
  if (keptAside !== null) options.say(`The database it replaced is kept as ${keptAside}.`);
  sayAboutMasterKey(options.dataDir, options.say);
  options.say('Start the server: it brings the schema up to date (migrations) as it starts.');
  return inspected;
}

/** After a restore the data directory needs the master key of the server the backup came from. */
export function sayAboutMasterKey(dataDir: string, say: Say): void {
  const key = masterKeyPath(dataDir);
  say(
    existsSync(key)
      ? `Terminals keep working only if ${key} is the master key of the server the backup came from.`
      : `Put the master key of the server the backup came from at ${key} before starting the server; without it the server makes a new key and every terminal must enrol again.`,
  );
}
