import { access, readFile } from 'node:fs/promises';
import type { CpuProfile } from '../kit/profile-push.ts';

/**
 * A CPU profile of the server process for a chosen window. Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS (and it would cover the whole life of the process), so a small module is imported
 * first through NODE_OPTIONS: the first SIGUSR2 starts the inspector's profiler in the server,
 * the second writes the profile to BENCH_CPU_PROFILE.
 */
const PRELOAD = `
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const out = process.env.BENCH_CPU_PROFILE;
const session = new Session();
session.connect();
let running = false;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.start', () => writeFileSync(out + '.started', '')));
  } else {
    running = false;
    session.post('Profiler.stop', (error, result) => {
      writeFileSync(out, error ? '{}' : JSON.stringify(result.profile));
    });
  }
});
`;

/** The environment that makes the server profilable by signal, writing to `file`. */
export function profilerEnv(file: string): Record<string, string> {
  const module = `data:text/javascript;base64,${Buffer.from(PRELOAD).toString('base64')}`;
  return { NODE_OPTIONS: `--import ${module}`, BENCH_CPU_PROFILE: file };
}

async function appeared(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await access(file);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${file} was not written`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export async function startServerProfile(pid: number, file: string): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await appeared(`${file}.started`);
}

export async function stopServerProfile(pid: number, file: string): Promise<CpuProfile> {
  process.kill(pid, 'SIGUSR2');
  await appeared(file);
  // Written in one call, but a reader may see it half-written: retry until it parses.
  for (;;) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
