/**
 * Checkout latency of two POS builds, measured in alternating pairs under the same conditions
 * (a shared machine's load drifts; back-to-back runs of one build then the other do not compare).
 * Each run is a fresh till lab (server, browser profile) on one build: warm-ups, then
 * `--checkouts` timed cash sales as in the benchmark (bench/till/measure.ts timeCheckoutToPaint),
 * with the time until they were painted beside it.
 * Build each version first, e.g. `node node_modules/vite/bin/vite.js build --outDir /tmp/a`
 * (an older commit from a `git worktree`).
 * `npx tsx bench/till/ab-checkout.ts --a /tmp/a --b /tmp/b --pairs 3 --checkouts 40 [--sales 0]`
 * With `--sales`, the run then waits as the benchmark does until IndexedDB has stopped compacting
 * (bench/till/leveldb-log.ts), and reports how much disk the store takes.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '../kit/stats.ts';
import { openTillLab, type TillLab } from './lab.ts';
import { waitForQuietStorage } from './leveldb-log.ts';
import { timeCheckout, timeCheckoutToPaint, type CheckoutTimes } from './measure.ts';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    pairs: { type: 'string', default: '3' },
    checkouts: { type: 'string', default: '40' },
    warmups: { type: 'string', default: '5' },
    sales: { type: 'string', default: '0' },
  },
});
if (values.a === undefined || values.b === undefined) {
  throw new Error('Usage: --a <built POS dir> --b <built POS dir> [--pairs 3] [--checkouts 40]');
}
const builds = { a: values.a, b: values.b };
const log = (message: string) => {
  process.stderr.write(`${message}\n`);
};

/** A busy machine can take longer than the server's start-up limit: try again, twice at most. */
async function openLab(rendererDir: string, attempt = 1): Promise<TillLab> {
  try {
    return await openTillLab(
      { quick: false, log: () => undefined, size: (full) => full },
      { rendererDir },
    );
  } catch (error) {
    if (attempt >= 3) throw error;
    log(`  the till lab did not open (${String(error).split('\n')[0] ?? ''}); again`);
    return openLab(rendererDir, attempt + 1);
  }
}

/** Bytes of every file under `dir`. */
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // A file LevelDB removes meanwhile counts as nothing.
    if (entry.isFile())
      total += (await stat(path.join(entry.parentPath, entry.name)).catch(() => null))?.size ?? 0;
  }
  return total;
}

async function run(rendererDir: string): Promise<CheckoutTimes[]> {
  const lab = await openLab(rendererDir);
  try {
    for (let i = 0; i < Number(values.warmups); i += 1) await timeCheckout(lab.page);
    if (Number(values.sales) > 0) {
      await lab.seed(Number(values.sales));
      const settled = await waitForQuietStorage(lab.profileDir, {
        quietMs: 10_000,
        maxMs: 300_000,
      });
      log(
        `  IndexedDB ${settled.quiet ? 'settled' : 'still compacting'} after ${(settled.waitedMs / 1000).toFixed(0)} s; ${(await diskBytes(lab.profileDir)) >> 20} MiB on disk`,
      );
      for (let i = 0; i < Number(values.warmups); i += 1) await timeCheckout(lab.page);
    }
    const samples: CheckoutTimes[] = [];
    for (let i = 0; i < Number(values.checkouts); i += 1)
      samples.push(await timeCheckoutToPaint(lab.page));
    return samples;
  } finally {
    await lab.close();
  }
}

const rows: { pair: number; build: 'a' | 'b'; p50: number; p95: number }[] = [];
for (let pair = 1; pair <= Number(values.pairs); pair += 1) {
  // A then B in odd pairs, B then A in even ones: neither always runs on a warmer machine.
  const order: ('a' | 'b')[] = pair % 2 === 1 ? ['a', 'b'] : ['b', 'a'];
  for (const build of order) {
    const samples = await run(builds[build]);
    const timing = summarize(samples.map((sample) => sample.cardsMs));
    const painted = summarize(samples.map((sample) => sample.paintedMs));
    rows.push({ pair, build, p50: timing.p50, p95: timing.p95 });
    log(
      `pair ${String(pair)} ${build}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms (n=${String(timing.n)}); painted p50 ${painted.p50.toFixed(1)} ms, p95 ${painted.p95.toFixed(1)} ms`,
    );
  }
}
const median = (numbers: number[]) => summarize(numbers).p50;
for (const build of ['a', 'b'] as const) {
  const mine = rows.filter((row) => row.build === build);
  log(
    `${build} (${builds[build]}): median of pairs p50 ${median(mine.map((row) => row.p50)).toFixed(1)} ms, p95 ${median(mine.map((row) => row.p95)).toFixed(1)} ms`,
  );
}
