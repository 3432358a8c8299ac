/**
 * Where a checkout's (or a start-up's) time goes in the POS page: a CDP CPU profile of the
 * renderer over a few checkouts with `--sales` past sales stored, then its summary by
 * bench/kit/cpu-profile.ts (positions resolved through the build's source maps). Builds the POS
 * unminified (names readable) into a temporary folder.
 * `npx tsx bench/till/profile-checkout.ts --sales 100000 --checkouts 20 [--startup]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleResolver } from '../kit/bundle-resolver.ts';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from '../kit/cpu-profile.ts';
import { summarize } from '../kit/stats.ts';
import { openTillLab } from './lab.ts';
import { startupMarks, timeCheckout } from './measure.ts';

const { values } = parseArgs({
  options: {
    sales: { type: 'string', default: '100000' },
    checkouts: { type: 'string', default: '20' },
    startup: { type: 'boolean', default: false },
    out: { type: 'string', default: '/tmp/till-checkout.cpuprofile' },
    /** Count the IndexedDB cursor steps per database and index during the timed part. */
    cursors: { type: 'boolean', default: false },
    /** A POS already built (e.g. for an A/B comparison) instead of an unminified build now. */
    dist: { type: 'string', default: '' },
  },
});
/** Wraps IDBIndex.openCursor: counts each cursor's steps by database, index and caller. */
const CURSOR_COUNTER = `(() => {
  const steps = {};
  window.__cursorSteps = steps;
  const open = IDBIndex.prototype.openCursor;
  IDBIndex.prototype.openCursor = function (...args) {
    const request = open.apply(this, args);
    const range = args[0];
    const lower = range && range.lower !== undefined ? JSON.stringify(range.lower).slice(0, 40) : '-';
    const key = this.objectStore.transaction.db.name + ' ' + this.name + ' from ' + lower;
    request.addEventListener('success', () => { steps[key] = (steps[key] ?? 0) + 1; });
    return request;
  };
  // Counts walk their whole key range in the browser: milliseconds spent per database and index.
  for (const proto of [IDBIndex.prototype, IDBObjectStore.prototype]) {
    const count = proto.count;
    proto.count = function (...args) {
      const started = performance.now();
      const request = count.apply(this, args);
      const store = this.objectStore ?? this;
      const key = 'count ms ' + store.transaction.db.name + ' ' + this.name;
      request.addEventListener('success', () => {
        steps[key] = Math.round((steps[key] ?? 0) + performance.now() - started);
      });
      return request;
    };
  }
})()`;
const log = (message: string) => {
  process.stderr.write(`${message}\n`);
};
const outDir =
  values.dist === ''
    ? await mkdtemp(path.join(tmpdir(), 'entitle-till-profile-build-'))
    : values.dist;
if (values.dist === '') {
  execFileSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--logLevel',
      'error',
      '--minify',
      'false',
      '--outDir',
      outDir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}
const lab = await openTillLab({ quick: false, log, size: (full) => full }, { rendererDir: outDir });
try {
  const sales = Number(values.sales);
  // As the benchmark: sales made (and synced) before the history is seeded, then warm-ups.
  for (let i = 0; i < 3; i += 1) await timeCheckout(lab.page);
  if (sales > 0) await lab.seed(sales);
  for (let i = 0; i < 3; i += 1) await timeCheckout(lab.page);
  if (values.cursors) {
    await lab.page.evaluate(CURSOR_COUNTER);
    // A reload starts a new document: count there too.
    if (values.startup) await lab.page.addInitScript(CURSOR_COUNTER);
  }
  const session = await lab.page.context().newCDPSession(lab.page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
  const samples: number[] = [];
  if (values.startup) {
    for (let i = 0; i < Number(values.checkouts); i += 1) {
      await lab.page.reload();
      samples.push((await startupMarks(lab.page, 'ready')).ready ?? Number.NaN);
    }
  } else {
    for (let i = 0; i < Number(values.checkouts); i += 1)
      samples.push(await timeCheckout(lab.page));
  }
  const { profile } = await session.send('Profiler.stop');
  await writeFile(values.out, JSON.stringify(profile));
  if (values.cursors) {
    const steps = await lab.page.evaluate(
      () => (window as unknown as { __cursorSteps: Record<string, number> }).__cursorSteps,
    );
    const rows = Object.entries(steps).sort((a, b) => b[1] - a[1]);
    for (const [where, n] of rows.slice(0, 15))
      log(`${String(n).padStart(9)} cursor steps  ${where}`);
  }
  const timing = summarize(samples);
  log(
    `${values.startup ? 'start-up' : 'checkout'} p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms (n=${String(timing.n)})`,
  );
  const summary = summarizeProfile(profile as unknown as CpuProfile, {
    top: 25,
    resolve: bundleResolver(path.join(outDir, 'assets')),
  });
  process.stdout.write(
    `${formatProfileSummary(summary, values.startup ? 'Page start-ups' : 'Page checkouts')}\n`,
  );
} finally {
  await lab.close();
  if (values.dist === '') await rm(outDir, { recursive: true, force: true });
}
