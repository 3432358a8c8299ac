import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { BackupRefused } from './refused.ts';

const run = promisify(execFile);

export type PgToolName = 'pg_dump' | 'pg_restore';

/** Where to look for PostgreSQL's client programs. */
export type ToolSearch = {
  /** PG_BIN (only there when set) and PATH are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Debian's versioned installs; default /usr/lib/postgresql. */
  readonly postgresRoot?: string;
};

export type PgTool = { readonly path: string; readonly major: number };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `<root>/<newest>/bin` of Debian's side-by-side installs, if any. */
function newestInstall(root: string): string | undefined {
  if (!existsSync(root)) return undefined;
  const newest = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : join(root, newest, 'bin');
}

/** PG_BIN alone when it is set; otherwise every PATH entry, then the newest Debian install. */
export function pgToolCandidates(name: PgToolName, search: ToolSearch): string[] {
  const pgBin = search.env['PG_BIN'];
  if (pgBin !== undefined && pgBin !== '') {
    return [join(pgBin, name)].filter(isExecutable);
  }
  const folders = (search.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  const debian = newestInstall(search.postgresRoot ?? '/usr/lib/postgresql');
  if (debian !== undefined) folders.push(debian);
  return [...new Set(folders.map((dir) => join(dir, name)))].filter(isExecutable);
}

/** The major version in `pg_dump (PostgreSQL) 15.18 (Debian …)`; 9 for 9.6. */
export function majorOf(versionLine: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** 150018 (`server_version_num`) is 15; 90600 is 9. */
export function serverMajorOf(versionNum: number): number {
  return Math.floor(versionNum / 10_000);
}

async function versionOf(path: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(path, ['--version']);
    return majorOf(stdout);
  } catch {
    return undefined;
  }
}

/**
 * The newest of the programs found. pg_dump and pg_restore refuse a server newer than
 * themselves, so one older than the server is refused here with a message that says what to do.
 */
export async function findPgTool(
  name: PgToolName,
  search: ToolSearch,
  serverMajor: number,
): Promise<PgTool> {
  const setBin = search.env['PG_BIN'];
  const where =
    setBin !== undefined && setBin !== ''
      ? `in PG_BIN=${setBin}`
      : `on PATH or under ${search.postgresRoot ?? '/usr/lib/postgresql'}/<version>/bin`;
  const install = `Install PostgreSQL's client programs, version ${String(serverMajor)} or newer (Debian: apt install postgresql-client-${String(serverMajor)}), or set PG_BIN to the folder that holds ${name}.`;
  const found: PgTool[] = [];
  for (const path of pgToolCandidates(name, search)) {
    const major = await versionOf(path);
    if (major !== undefined) found.push({ path, major });
  }
  const best = found.sort((a, b) => b.major - a.major)[0];
  if (best === undefined) throw new BackupRefused(`${name} was not found ${where}. ${install}`);
  if (best.major < serverMajor) {
    throw new BackupRefused(
      `${best.path} is version ${String(best.major)}, older than the PostgreSQL server (${String(serverMajor)}), and cannot read its database. ${install}`,
    );
  }
  return best;
}

/**
 * The connection for a child program: the URL without its password, which goes in PGPASSWORD
 * instead so it does not show in the process list.
 */
export function connectionForChild(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): { dbname: string; env: Record<string, string | undefined> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: password === '' ? { ...env } : { ...env, PGPASSWORD: password },
  };
}

/** Runs a PostgreSQL program; a failure becomes BackupRefused with the program's own words. */
export async function runPgTool(
  tool: PgTool,
  args: readonly string[],
  env: Record<string, string | undefined>,
  failure: string,
): Promise<string> {
  try {
    const { stdout } = await run(tool.path, [...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String(error.stderr).trim()
        : '';
    const detail =
      stderr === '' ? (error instanceof Error ? error.message : String(error)) : stderr;
    throw new BackupRefused(`${failure} (${detail.split('\n').slice(0, 3).join(' ')})`);
  }
}
