/**
 * `tsx bench/load/profile-redeem.ts <sqlite|postgres> <out.cpuprofile> [rate] [seconds]
 * [lookup|redeem]`: the portal under a fixed load (lookups, or redemptions) with the server under
 * the CPU profiler (bench/kit/server-profiler.ts, sampling every 0.5 ms) from the end of the
 * warm-up to the server's exit, the profile written to the file when the server stops; read it
 * with `npx tsx bench/kit/cpu-profile.ts <out.cpuprofile>`. With `-` for the file, no profile:
 * the latencies, and what the server saw in each phase (bench/load/server-stats.ts: its
 * event-loop delay, GC pauses, commit times), for before/after runs.
 *
 * The load is open-loop (bench/load/open-loop.ts) unless BENCH_LOAD_GENERATOR=autocannon (the
 * generator of the first two rounds, bench/load/fixed-rate.ts); BENCH_LOAD_CONNECTIONS sets the
 * most connections (default 32 for autocannon, 128 open-loop).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startBenchServer, stopBenchCluster, type Engine } from '../kit/engines.ts';
import { profilerEnv, startServerProfile } from '../kit/server-profiler.ts';
import { atFixedRate } from './fixed-rate.ts';
import { atOpenRate } from './open-loop.ts';
import { serverStatsEnv, takeServerStats } from './server-stats.ts';
import { lookups, redemptions, WARM_UP } from './portal-requests.ts';
import { sellCodes } from './seed-codes.ts';

const [engineArg, file, rateArg, secondsArg, mode] = process.argv.slice(2);
if ((engineArg !== 'sqlite' && engineArg !== 'postgres') || file === undefined) {
  throw new Error(
    'Usage: tsx bench/load/profile-redeem.ts <sqlite|postgres> <out.cpuprofile|-> [rate] [seconds] [lookup|redeem]',
  );
}
const engine: Engine = engineArg;
const rate = Number(rateArg ?? 500);
const seconds = Number(secondsArg ?? 10);
const autocannon = process.env.BENCH_LOAD_GENERATOR === 'autocannon';
const load = autocannon ? atFixedRate : atOpenRate;
const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? (autocannon ? 32 : 128));
const statsFile = `${tmpdir()}/entitle-redeem-stats-${String(process.pid)}`;
let statsTaken = 0;
/** What the server saw since the previous call (nothing while profiling: the same signal). */
const serverSaw = async (): Promise<unknown> =>
  file === '-' ? takeServerStats(server.pid, statsFile, ++statsTaken) : undefined;
/** The process's CPU time so far (user + system), in ms: steadier than latency on a busy machine. */
function cpuMs(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const server = await startBenchServer({
  engine,
  env: {
    PORTAL_RATE_LIMIT: '1000000',
    // Profiled from the end of the warm-up (startServerProfile) to the exit.
    ...(file === '-' ? serverStatsEnv(statsFile) : profilerEnv(file, { intervalUs: 500 })),
  },
});
try {
  const warmUps = WARM_UP.rate * WARM_UP.seconds;
  const codes = await sellCodes(server.url, Math.ceil(rate * seconds * 1.1) + warmUps + 50, log);
  const lookup = lookups(codes);
  const redeem = redemptions(codes);
  // The path measured is warmed up first, as in the benchmark (bench/load/redeem-load.ts).
  await load({
    url: server.url,
    kind: 'warm-up',
    ...WARM_UP,
    connections,
    next: mode === 'redeem' ? redeem : lookup,
  });
  if (file !== '-') await startServerProfile(server.pid, file);
  await serverSaw();
  let before = cpuMs(server.pid);
  if (mode !== 'redeem') {
    const lookupRun = await load({
      url: server.url,
      kind: 'lookup',
      rate,
      seconds,
      connections,
      next: lookup,
    });
    log(
      JSON.stringify({
        ...lookupRun,
        cpuMsPerRequest: (cpuMs(server.pid) - before) / lookupRun.answered,
        server: await serverSaw(),
      }),
    );
  }
  if (mode !== 'lookup') {
    before = cpuMs(server.pid);
    const redeems = await load({
      url: server.url,
      kind: 'redeem',
      rate,
      seconds,
      connections,
      next: redeem,
    });
    log(
      JSON.stringify({
        ...redeems,
        cpuMsPerRequest: (cpuMs(server.pid) - before) / redeems.answered,
        server: await serverSaw(),
      }),
    );
  }
} finally {
  await server.stop();
  await stopBenchCluster();
}
