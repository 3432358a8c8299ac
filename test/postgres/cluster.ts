import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/free-port.ts';

const run = promisify(execFile);

/** A PostgreSQL server the tests own: an admin URL to create databases on, and a way to stop it. */
export type ThrowawayCluster = {
  readonly adminUrl: string;
  /** The binaries (pg_dump, pg_restore) of the installed PostgreSQL. */
  readonly binDir: string;
  stop(): Promise<void>;
};

/** `/usr/lib/postgresql/<newest>/bin` (Debian), or PG_BIN when set. */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      'PostgreSQL is not installed: install Debian’s `postgresql` package, set PG_BIN to its bin folder, or set DATABASE_URL to a server the tests may create databases on.',
    );
  }
  return join(root, newest, 'bin');
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user. */
async function asOwner(binDir: string, program: string, args: readonly string[]): Promise<void> {
  const binary = join(binDir, program);
  if (isRoot()) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, [...args]);
}

/**
 * Starts a private PostgreSQL in a temporary folder on a free port, tuned for tests (no fsync:
 * a crash loses the cluster, which is thrown away anyway). C collation, so text sorts byte by
 * byte as it does in SQLite. `stop()` removes every trace.
 *
 * `durable: true` keeps PostgreSQL's own defaults for fsync and commits, as a production server
 * would run: the benchmarks use it, so PostgreSQL is not flattered against SQLite (which syncs
 * every commit).
 */
export async function startThrowawayCluster(
  options: { readonly durable?: boolean } = {},
): Promise<ThrowawayCluster> {
  const binDir = postgresBinDir();
  const home = mkdtempSync(join(tmpdir(), 'entitle-pg-'));
  if (isRoot()) chownSync(home, uidOf('postgres'), gidOf('postgres'));
  const data = join(home, 'data');
  const port = await freePort();
  await asOwner(binDir, 'initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const settings = [
    `-p ${String(port)}`,
    `-k ${home}`,
    '-c listen_addresses=127.0.0.1',
    ...(options.durable === true
      ? []
      : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=400',
  ].join(' ');
  await asOwner(binDir, 'pg_ctl', [
    '-D',
    data,
    '-o',
    settings,
    '-l',
    join(home, 'log'),
    '-w',
    'start',
  ]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    binDir,
    async stop() {
      await asOwner(binDir, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The numeric id of a system user or its group (`id -u postgres`). */
function idOf(flag: '-u' | '-g', user: string): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

function uidOf(user: string): number {
  return idOf('-u', user);
}

function gidOf(user: string): number {
  return idOf('-g', user);
}
