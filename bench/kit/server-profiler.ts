/**
 * A CPU profile of a server process (bench/kit/engines.ts) for a chosen window. Node 20 refuses
 * `--cpu-prof` in NODE_OPTIONS (and it would cover the whole life of the process), so a small
 * module is imported first through NODE_OPTIONS (`profilerEnv`) and runs the inspector's profiler
 * in the server:
 * - from the process's start (`from: 'start'`), or from the first SIGUSR2 (`startServerProfile`);
 * - to the next SIGUSR2 (`stopServerProfile`, which reads the profile back), or else to the
 *   process's exit (`server.stop()`), where the profile is written to the file.
 * Read a profile with bench/kit/cpu-profile.ts.
 */
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CpuProfile } from './cpu-profile.ts';

const PRELOAD = `
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
const out = process.env.BENCH_CPU_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  const interval = Number(process.env.BENCH_CPU_PROFILE_INTERVAL);
  if (interval > 0) session.post('Profiler.setSamplingInterval', { interval });
  let running = false;
  const start = (mark) => {
    running = true;
    session.post('Profiler.start', () => { if (mark) writeFileSync(out + '.started', ''); });
  };
  // Written aside and renamed: a reader waiting for the file never sees it half-written.
  const stop = () => {
    running = false;
    session.post('Profiler.stop', (error, result) => {
      writeFileSync(out + '.partial', JSON.stringify(error ? { error: String(error) } : result.profile));
      renameSync(out + '.partial', out);
    });
  };
  if (process.env.BENCH_CPU_PROFILE_FROM === 'start') start(false);
  process.on('SIGUSR2', () => (running ? stop() : start(true)));
  // An in-thread session answers synchronously: the profile is written before the process ends.
  process.on('exit', () => { if (running) stop(); });
}
`;

export type ServerProfilerOptions = {
  /** 'start': profile from the process's start; 'signal' (default): from startServerProfile. */
  readonly from?: 'start' | 'signal';
  /** The sampling interval in microseconds; V8's default is 1000. */
  readonly intervalUs?: number;
};

/** The environment that makes the server profilable, writing to `file`. */
export function profilerEnv(
  file: string,
  options: ServerProfilerOptions = {},
): Record<string, string> {
  const module = `data:text/javascript;base64,${Buffer.from(PRELOAD).toString('base64')}`;
  return {
    NODE_OPTIONS: `--import ${module}`,
    BENCH_CPU_PROFILE: path.resolve(file),
    BENCH_CPU_PROFILE_FROM: options.from ?? 'signal',
    ...(options.intervalUs === undefined
      ? {}
      : { BENCH_CPU_PROFILE_INTERVAL: String(options.intervalUs) }),
  };
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

/** Starts the profiler in a server run with profilerEnv(file); resolves once it runs. */
export async function startServerProfile(pid: number, file: string): Promise<void> {
  const out = path.resolve(file);
  await rm(out, { force: true });
  process.kill(pid, 'SIGUSR2');
  await appeared(`${out}.started`);
  await rm(`${out}.started`, { force: true });
}

/** Stops the profiler started by startServerProfile; the profile is also left in `file`. */
export async function stopServerProfile(pid: number, file: string): Promise<CpuProfile> {
  const out = path.resolve(file);
  process.kill(pid, 'SIGUSR2');
  await appeared(out);
  const written = JSON.parse(await readFile(out, 'utf8')) as CpuProfile | { error: string };
  if ('error' in written) throw new Error(`The server's profiler failed: ${written.error}`);
  return written;
}
