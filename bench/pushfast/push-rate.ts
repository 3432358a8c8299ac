/**
 * `tsx bench/pushfast/push-rate.ts --engine sqlite --sales 2000 [--batch 50] [--runs 3]
 * [--profile <dir>]`: the server's push rate, for before/after comparisons of the push path.
 *
 * A protocol-level terminal (test/faults/sim-terminal.ts: real code issuing, one hash-chained
 * audit event per sale) sells `--sales` sales offline, then pushes its sales and then its audit
 * events in batches of `--batch` to a real server process on a fresh store (bench/kit/engines.ts).
 * Selling is not timed. `--profile` runs each server under the CPU profiler for its whole life
 * (bench/kit/server-profiler.ts, sampling every 0.5 ms), written into that directory when it
 * stops; read one with `npx tsx bench/kit/cpu-profile.ts <file.cpuprofile>`.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databasePath, openLocation } from '../../sync-server/db/connection.ts';
import { systemClock, systemRandomBytes } from '../../sync-server/deps.ts';
import { createPairingCode } from '../../sync-server/enrol/pairing-codes.ts';
import { SimTerminal } from '../../test/faults/sim-terminal.ts';
import { startBenchServer, stopBenchCluster, type Engine } from '../kit/engines.ts';
import { profilerEnv } from '../kit/server-profiler.ts';
import { percentile } from '../kit/stats.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    sales: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '50' },
    runs: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const engines = values.engine.split(',') as Engine[];
const count = Number(values.sales);
const batchSize = Number(values.batch);
const runs = Number(values.runs);

/** A seeded generator, so each run sells the same carts. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The CPU time a process has used so far (user + system), in milliseconds, from /proc. */
function cpuMs(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

type RunResult = {
  salesPerSecond: number;
  auditPerSecond: number;
  bothPerSecond: number;
  /** The server's CPU per sale and per audit event: less noisy than rates on a busy machine. */
  saleCpuMs: number;
  auditCpuMs: number;
};

async function oneRun(engine: Engine): Promise<RunResult> {
  const profileDir = values.profile === undefined ? undefined : path.resolve(values.profile);
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
  const server = await startBenchServer({
    engine,
    env:
      profileDir === undefined
        ? {}
        : profilerEnv(path.join(profileDir, `${engine}-${String(Date.now())}.cpuprofile`), {
            from: 'start',
            intervalUs: 500,
          }),
  });
  try {
    const db = openLocation(
      server.databaseUrl === undefined
        ? { engine: 'sqlite', file: databasePath(server.dataDir) }
        : { engine: 'postgres', url: server.databaseUrl },
      { max: 1 },
    );
    const store = await db.selectFrom('stores').select('id').executeTakeFirstOrThrow();
    const { code } = await createPairingCode(db, store.id, {
      clock: systemClock,
      randomBytes: systemRandomBytes,
    });
    const terminal = new SimTerminal({
      url: server.url,
      pairingCode: code,
      name: 'Bench till',
      batchSize,
      timeoutMs: 120_000,
    });
    await terminal.enrol();
    const random = mulberry32(7);
    for (let i = 0; i < count; i++) await terminal.sell(random);
    const codes = terminal.sales.reduce(
      (sum, sale) => sum + sale.lines.reduce((n, line) => n + line.codes.length, 0),
      0,
    );
    const cpu: Record<string, number> = {};
    const pushAll = async (collection: 'sales' | 'audit'): Promise<number> => {
      const start = performance.now();
      const cpuStart = cpuMs(server.pid);
      while (terminal.backlog[collection].size > 0) {
        const answer = await terminal.push(collection, terminal.nextBatch(collection));
        if (answer.rejected.length > 0) throw new Error(JSON.stringify(answer.rejected[0]));
      }
      cpu[collection] = (cpuMs(server.pid) - cpuStart) / count;
      return (performance.now() - start) / 1000;
    };
    const salesSeconds = await pushAll('sales');
    const auditSeconds = await pushAll('audit');
    const stored = await db
      .selectFrom('sales')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (stored.n !== count) throw new Error(`The server holds ${String(stored.n)} sales.`);
    await db.destroy();
    const result = {
      salesPerSecond: count / salesSeconds,
      auditPerSecond: count / auditSeconds,
      bothPerSecond: count / (salesSeconds + auditSeconds),
      saleCpuMs: cpu.sales ?? Number.NaN,
      auditCpuMs: cpu.audit ?? Number.NaN,
    };
    process.stderr.write(
      `${engine}: ${String(count)} sales (${String(codes)} codes), batch ${String(batchSize)}: sales ${salesSeconds.toFixed(2)} s, audit ${auditSeconds.toFixed(2)} s → ${result.salesPerSecond.toFixed(0)} sales/s, ${result.auditPerSecond.toFixed(0)} events/s, ${result.bothPerSecond.toFixed(0)} sales+events/s; server CPU ${result.saleCpuMs.toFixed(2)} ms/sale, ${result.auditCpuMs.toFixed(2)} ms/event\n`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

try {
  for (const engine of engines) {
    const results: RunResult[] = [];
    for (let run = 0; run < runs; run++) results.push(await oneRun(engine));
    const median = (pick: (r: RunResult) => number, digits = 0): string =>
      percentile(results.map(pick), 50).toFixed(digits);
    process.stdout.write(
      `${engine} median of ${String(runs)}: ${median((r) => r.salesPerSecond)} sales/s, ${median((r) => r.auditPerSecond)} audit events/s, ${median((r) => r.bothPerSecond)} sales with their events/s; server CPU ${median((r) => r.saleCpuMs, 2)} ms/sale, ${median((r) => r.auditCpuMs, 2)} ms/event\n`,
    );
  }
} finally {
  await stopBenchCluster();
}
