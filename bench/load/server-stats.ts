/**
 * What a server process did during a load, measured inside it: its event-loop delay
 * (perf_hooks.monitorEventLoopDelay, 1 ms resolution), its garbage collections (perf_hooks 'gc'
 * entries: count, total and longest pause) and how long its commits took (SQLite: the synchronous
 * `commit` statement of better-sqlite3, which blocks the event loop through the fsync;
 * PostgreSQL: the `commit` query's round trip in pg). A small module is imported first through
 * NODE_OPTIONS (`serverStatsEnv`); each SIGUSR2 writes the figures since the previous one (or the
 * start) to `<file>.<n>.json` and starts again (`takeServerStats`). Not to be combined with
 * bench/kit/server-profiler.ts, which uses the same signal.
 */
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const PRELOAD = `
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
const out = process.env.BENCH_SERVER_STATS;
if (out) {
  const require = createRequire(process.cwd() + '/package.json');
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gcs = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  let commits = [];
  let statements = { count: 0, ms: 0 };
  const isCommit = (sql) => typeof sql === 'string' && /^\\s*commit\\b/i.test(sql);
  try {
    const SQLite = require('better-sqlite3');
    const probe = new SQLite(':memory:');
    const Statement = Object.getPrototypeOf(probe.prepare('select 1'));
    probe.close();
    for (const name of ['run', 'all', 'get', 'iterate']) {
      const original = Statement[name];
      Statement[name] = function (...args) {
        const start = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const ms = performance.now() - start;
          statements.count += 1;
          statements.ms += ms;
          if (isCommit(this.source)) commits.push(ms);
        }
      };
    }
  } catch {}
  try {
    const pg = require('pg');
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (config, ...rest) {
      const sql = typeof config === 'string' ? config : config?.text;
      const result = query.call(this, config, ...rest);
      if (isCommit(sql) && result && typeof result.then === 'function') {
        const start = performance.now();
        result.then(() => commits.push(performance.now() - start), () => {});
      }
      return result;
    };
  } catch {}
  const pct = (sorted, p) => sorted.length === 0 ? 0
    : sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  const summary = (samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return { n: sorted.length, p50: pct(sorted, 50), p99: pct(sorted, 99), max: pct(sorted, 100),
      totalMs: sorted.reduce((sum, value) => sum + value, 0) };
  };
  let taken = 0;
  let since = performance.now();
  process.on('SIGUSR2', () => {
    const now = performance.now();
    const figures = {
      windowMs: now - since,
      loopDelayMs: { p50: loop.percentile(50) / 1e6, p90: loop.percentile(90) / 1e6,
        p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, mean: loop.mean / 1e6 },
      gcPausesMs: summary(gcs),
      commitsMs: summary(commits),
      sqliteStatements: statements,
    };
    taken += 1;
    const file = out + '.' + taken + '.json';
    writeFileSync(file + '.partial', JSON.stringify(figures));
    renameSync(file + '.partial', file);
    loop.reset();
    gcs = [];
    commits = [];
    statements = { count: 0, ms: 0 };
    since = now;
  });
}
`;

/** The environment that makes a server keep these figures, written next to `file`. */
export function serverStatsEnv(file: string): Record<string, string> {
  const module = `data:text/javascript;base64,${Buffer.from(PRELOAD).toString('base64')}`;
  return { NODE_OPTIONS: `--import ${module}`, BENCH_SERVER_STATS: path.resolve(file) };
}

export type ServerStats = {
  readonly windowMs: number;
  readonly loopDelayMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly gcPausesMs: Summary;
  readonly commitsMs: Summary;
  readonly sqliteStatements: { readonly count: number; readonly ms: number };
};
type Summary = {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly totalMs: number;
};

/**
 * The `n`th SIGUSR2 to the server: the figures since the previous one (the first call only
 * starts the window: its figures cover the start-up and seeding).
 */
export async function takeServerStats(pid: number, file: string, n: number): Promise<ServerStats> {
  const written = `${path.resolve(file)}.${String(n)}.json`;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await access(written);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${written} was not written`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const stats = JSON.parse(await readFile(written, 'utf8')) as ServerStats;
  await rm(written, { force: true });
  return stats;
}
