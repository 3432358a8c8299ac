import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release, platform } from 'node:os';
import { chromiumPath } from '../../test/support/chromium.ts';
import { postgresBinDir } from '../../test/postgres/cluster.ts';

/** What the figures were measured on: they mean little without it. */
export type Machine = {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly chromium: string;
  readonly postgres: string;
};

export type Revision = { readonly commit: string; readonly dirty: boolean };

function firstLine(program: string, args: readonly string[]): string {
  try {
    return (
      execFileSync(program, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')[0]
        ?.trim() ?? 'unknown'
    );
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  const processors = cpus();
  let postgres = 'not installed';
  try {
    postgres = firstLine(`${postgresBinDir()}/postgres`, ['--version']);
  } catch {
    // postgresBinDir throws when PostgreSQL is missing; the scenarios say so themselves.
  }
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: firstLine(chromiumPath(), ['--version']),
    postgres,
  };
}

export function describeRevision(): Revision {
  const commit = firstLine('git', ['rev-parse', 'HEAD']);
  const status = firstLine('git', ['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status !== '' && status !== 'not installed' };
}
