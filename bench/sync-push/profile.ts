/**
 * Where the time of a sync push goes: `tsx bench/sync-push/profile.ts [--engine sqlite|postgres]
 * [--sales 2000]`. The server (by signal, see bench/kit/server-profiler.ts) and the POS's
 * replication (this process) run under the inspector's profiler from the first push request to
 * the last answer; both are summarised by bench/kit/cpu-profile.ts (self time per function and
 * file, time below our innermost function, inclusive time of ours). Prints Markdown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stopBenchCluster, type Engine } from '../kit/engines.ts';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from '../kit/cpu-profile.ts';
import { profilerEnv, startServerProfile, stopServerProfile } from '../kit/server-profiler.ts';
import { runOurPush } from './ours.ts';
import { planSales } from './sales-plan.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    sales: { type: 'string', default: '2000' },
  },
});
const engine: Engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const count = Number(values.sales);
const profileDir = await mkdtemp(path.join(tmpdir(), 'entitle-bench-push-profile-'));
const serverFile = path.join(profileDir, 'server.cpuprofile');
const session = new Session();
session.connect();
let client: CpuProfile | undefined;
let server: CpuProfile | undefined;

try {
  const run = await runOurPush({
    engine,
    plan: planSales(count),
    log: (message) => process.stderr.write(`${message}\n`),
    serverEnv: profilerEnv(serverFile),
    aroundPush: {
      async before(bench) {
        await startServerProfile(bench.pid, serverFile);
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      },
      async after(bench) {
        client = (await session.post('Profiler.stop')).profile as unknown as CpuProfile;
        server = await stopServerProfile(bench.pid, serverFile);
      },
    },
  });
  const seconds = run.salesSeconds;
  process.stdout.write(
    [
      `## Sync push profile: ${String(count)} sales, ${engine}`,
      '',
      `Pushed in ${seconds.toFixed(2)} s (${(count / seconds).toFixed(0)} sales/s); with the audit events ${run.allFactsSeconds.toFixed(2)} s. Server holds ${String(run.onServer.sales)} sales, ${String(run.onServer.codes)} codes, ${String(run.onServer.audit)} audit events.`,
      '',
      `Pending over time [s, sales]: ${run.progress.map(([at, pending]) => `[${String(at)}, ${String(pending)}]`).join(' ')}`,
      '',
      server
        ? formatProfileSummary(summarizeProfile(server), 'Server (sync-server process)')
        : 'No server profile.',
      '',
      client
        ? formatProfileSummary(summarizeProfile(client), 'POS replication in Node (RxDB memory)')
        : 'No client profile.',
      '',
    ].join('\n'),
  );
} finally {
  session.disconnect();
  await rm(profileDir, { recursive: true, force: true });
  await stopBenchCluster();
}
