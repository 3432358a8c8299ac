import { ConfigError, type Config } from '../config.ts';
import type { Clock } from '../deps.ts';
import { backupPostgres, restorePostgres } from './postgres-backup.ts';
import { BackupRefused, type BackupContents, type Say } from './refused.ts';
import { backupSqlite, restoreSqlite } from './sqlite-backup.ts';

export type BackupCommandDeps = {
  readonly say: Say;
  readonly clock: Clock;
  /** PATH and PG_BIN, to find pg_dump and pg_restore. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Debian's PostgreSQL installs; default /usr/lib/postgresql. */
  readonly postgresRoot?: string;
};

export const BACKUP_USAGE =
  'npm run server -- backup <file> [--overwrite]   or   npm run server -- restore <file>';

type Parsed = { readonly file: string; readonly overwrite: boolean };

function parse(command: 'backup' | 'restore', args: readonly string[]): Parsed {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const files = args.filter((arg) => !arg.startsWith('--'));
  const allowed = command === 'backup' ? ['--overwrite'] : [];
  const unknown = flags.find((flag) => !allowed.includes(flag));
  if (unknown !== undefined) {
    throw new BackupRefused(`Unknown option ${unknown}. Use: ${BACKUP_USAGE}`);
  }
  const file = files[0];
  if (file === undefined || files.length > 1) {
    throw new BackupRefused(`Give one file. Use: ${BACKUP_USAGE}`);
  }
  return { file, overwrite: flags.includes('--overwrite') };
}

/**
 * `backup <file>` and `restore <file>` on the configured engine: SQLite in DATA_DIR, or
 * PostgreSQL when DATABASE_URL is set. A refusal becomes a ConfigError, which main.ts prints as
 * it is (no stack) with exit code 1.
 */
export async function runBackupCommand(
  command: 'backup' | 'restore',
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  args: readonly string[],
  deps: BackupCommandDeps,
): Promise<BackupContents> {
  try {
    const { file, overwrite } = parse(command, args);
    const search = {
      env: deps.env,
      ...(deps.postgresRoot === undefined ? {} : { postgresRoot: deps.postgresRoot }),
    };
    const common = { file, dataDir: config.dataDir, say: deps.say };
    if (config.databaseUrl !== undefined) {
      const pgCommon = { ...common, url: config.databaseUrl, search };
      return command === 'backup'
        ? await backupPostgres({ ...pgCommon, overwrite })
        : await restorePostgres({ ...pgCommon, now: deps.clock() });
    }
    return command === 'backup'
      ? await backupSqlite({ ...common, overwrite })
      : restoreSqlite({ ...common, now: deps.clock() });
  } catch (error) {
    if (error instanceof BackupRefused) throw new ConfigError(error.message);
    throw error;
  }
}
