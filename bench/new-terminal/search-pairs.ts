/**
 * `tsx bench/new-terminal/search-pairs.ts <POS dir A> <POS dir B> [pairs=3] [products=20000]`:
 * A/B pairs of the catalogue search on one seeded server. Each pair opens a new terminal on POS A,
 * then one on POS B (each built with `vite build --outDir <dir>`), types QUERIES under a timeline
 * trace and prints, per side, the wall-clock "rendered" time per key (the benchmark's figure) and
 * the renderer main thread's CPU time (thread clock) per key, from the keydown to the probe's
 * task: less bent than wall-clock time by the other processes of a busy machine.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startBenchServer } from '../kit/engines.ts';
import { contextFor } from '../kit/runner.ts';
import { rendererMainThreads, threadOf, type TraceEvent } from '../kit/trace-events.ts';
import { summarize } from '../kit/stats.ts';
import { QUERIES, typeOnNewTerminal } from './catalogue-search.ts';
import { seedStore } from './seed.ts';

/** Main-thread CPU (ms) of each key: keydown's dispatch to the end of the probe's task. */
export function cpuPerKey(events: readonly TraceEvent[]): number[] {
  const main = rendererMainThreads(events);
  const list = events
    .filter((event) => event.ph === 'X' && main.has(threadOf(event)))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const keydowns = list.filter(
    (event) => event.name === 'EventDispatch' && event.args?.data?.type === 'keydown',
  );
  const probes = list.filter(
    (event) =>
      event.name === 'FunctionCall' && event.args?.data?.functionName === 'channel.port1.onmessage',
  );
  const keys: number[] = [];
  let probeAt = 0;
  for (const keydown of keydowns) {
    while (probeAt < probes.length && (probes[probeAt]?.ts ?? 0) < keydown.ts) probeAt += 1;
    const probe = probes[probeAt];
    if (probe === undefined) break;
    const end = probe.ts + (probe.dur ?? 0);
    let cpu = 0;
    let topEnd = -1;
    for (const event of list) {
      if (event.ts < keydown.ts) continue;
      if (event.ts > end) break;
      if (event.ts < topEnd) continue;
      cpu += event.tdur ?? 0;
      topEnd = event.ts + (event.dur ?? 0);
    }
    keys.push(cpu / 1000);
  }
  return keys;
}

const [dirA, dirB, pairsArg, productsArg] = process.argv.slice(2);
if (dirA === undefined || dirB === undefined) {
  throw new Error('Usage: search-pairs.ts <POS dir A> <POS dir B> [pairs] [products]');
}
const pairs = Number(pairsArg ?? 3);
const products = Number(productsArg ?? 20_000);
const ctx = contextFor({
  quick: false,
  only: [],
  log: (message) => process.stderr.write(`${message}\n`),
});
const dir = path.resolve('test-results/profiles/search-pairs');
await mkdir(dir, { recursive: true });
const server = await startBenchServer({ engine: 'sqlite', demo: true });
const fmt = (values: readonly number[]) => {
  const summary = summarize(values);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return `p50 ${summary.p50.toFixed(1)} p95 ${summary.p95.toFixed(1)} mean ${mean.toFixed(1)}`;
};
try {
  await seedStore(server, { products, entitlements: 0 }, (message) => ctx.log(message));
  for (let pair = 1; pair <= pairs; pair += 1) {
    for (const [side, rendererDir] of [
      ['A', dirA],
      ['B', dirB],
    ] as const) {
      process.env.BENCH_RENDERER_DIR = rendererDir;
      const traceTo = path.join(dir, `${String(pair)}-${side}.json`);
      const run = await typeOnNewTerminal(ctx, server, products, QUERIES, { traceTo });
      const trace = JSON.parse(await readFile(traceTo, 'utf8')) as { traceEvents: TraceEvent[] };
      const cpu = cpuPerKey(trace.traceEvents);
      process.stdout.write(
        `pair ${String(pair)} ${side}: laid out ${fmt(run.samples.map((s) => s.laidOutMs))}; rendered ${fmt(run.samples.map((s) => s.renderedMs))}; cpu ${fmt(cpu)}; laid out by key ${run.samples.map((s) => s.laidOutMs.toFixed(1)).join(' ')}; cpu by key ${cpu.map((ms) => ms.toFixed(1)).join(' ')}\n`,
      );
    }
  }
} finally {
  await server.stop();
}
