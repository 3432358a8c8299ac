/**
 * `tsx bench/new-terminal/first-sync-pairs.ts <POS dir A> <POS dir B> [pairs=3] [engine=sqlite]
 * [products=20000] [statuses=50000]`: A/B pairs of a till's first sync of its catalogue and its
 * own codes' statuses (the benchmark's measureFirstSync), each POS built with
 * `vite build --outDir <dir>`, the order swapped every pair. Prints, per run, when the products
 * and the statuses were complete and the whole sync.
 */
import { contextFor } from '../kit/runner.ts';
import { summarize } from '../kit/stats.ts';
import type { Engine } from '../kit/engines.ts';
import { measureFirstSync, type FirstSyncRun } from './first-sync.ts';

const [dirA, dirB, pairsArg, engineArg, productsArg, statusesArg] = process.argv.slice(2);
if (dirA === undefined || dirB === undefined) {
  throw new Error(
    'Usage: tsx bench/new-terminal/first-sync-pairs.ts <dirA> <dirB> [pairs] [engine] [products] [statuses]',
  );
}
const engine: Engine = engineArg === 'postgres' ? 'postgres' : 'sqlite';
const pairs = Number(pairsArg ?? 3);
const sizes = {
  products: Number(productsArg ?? 20_000),
  entitlements: Number(statusesArg ?? 50_000),
};
const ctx = contextFor({ quick: false, only: [], log: () => undefined });
const runs: Record<'A' | 'B', FirstSyncRun[]> = { A: [], B: [] };

for (let pair = 0; pair < pairs; pair += 1) {
  const order: ('A' | 'B')[] = pair % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
  for (const side of order) {
    process.env.BENCH_RENDERER_DIR = side === 'A' ? dirA : dirB;
    const run = await measureFirstSync(ctx, engine, sizes);
    runs[side].push(run);
    process.stdout.write(
      `pair ${String(pair + 1)} ${side}: products ${String(run.productsAt?.toFixed(1))} s, statuses ${String(run.entitlementsAt?.toFixed(1))} s, all ${run.seconds.toFixed(1)} s\n`,
    );
  }
}
for (const side of ['A', 'B'] as const) {
  const median = (values: (number | null)[]) =>
    summarize(values.filter((value): value is number => value !== null)).p50;
  process.stdout.write(
    `${side} medians: products ${median(runs[side].map((run) => run.productsAt)).toFixed(1)} s, statuses ${median(runs[side].map((run) => run.entitlementsAt)).toFixed(1)} s, all ${median(runs[side].map((run) => run.seconds)).toFixed(1)} s\n`,
  );
}
