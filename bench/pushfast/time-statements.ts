/**
 * `tsx bench/pushfast/time-statements.ts [--sales 2000] [--batch 50]`: in process on SQLite (in
 * memory), the time each SQL statement of a sales push and an audit push takes in better-sqlite3
 * (summed by statement text), and the process CPU per document, to see which statement a pushed
 * row's cost is in.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { createTestApp } from '../../sync-server/test-support/harness.ts';
import { pushFacts } from '../../sync-server/test-support/sales.ts';
import { salesWithAuditEvents } from './push-documents.ts';

const { values } = parseArgs({
  options: {
    sales: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '50' },
    profile: { type: 'string' },
    'no-timing': { type: 'boolean', default: false },
  },
});
const count = Number(values.sales);
const batch = Number(values.batch);

const spent = new Map<string, { n: number; ms: number }>();
let timing = false;
const probe = new SQLite(':memory:').prepare('select 1');
const statementProto = Object.getPrototypeOf(probe) as Record<string, unknown>;
for (const method of ['run', 'all', 'get']) {
  const original = statementProto[method] as (
    this: SQLite.Statement,
    ...args: unknown[]
  ) => unknown;
  statementProto[method] = function (this: SQLite.Statement, ...args: unknown[]): unknown {
    if (!timing || values['no-timing']) return original.apply(this, args);
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = this.source.slice(0, 110);
      const entry = spent.get(key) ?? { n: 0, ms: 0 };
      entry.n++;
      entry.ms += performance.now() - start;
      spent.set(key, entry);
    }
  };
}

const t = await createTestApp({ demo: true });
try {
  const { till, sales, audit } = await salesWithAuditEvents(t, count);
  for (const [collection, documents] of [
    ['sales', sales],
    ['audit', audit],
  ] as const) {
    spent.clear();
    const session = values.profile === undefined ? undefined : new Session();
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    timing = true;
    const cpu = process.cpuUsage();
    for (let i = 0; i < documents.length; i += batch) {
      const response = await pushFacts(
        t.app,
        till.token,
        collection,
        documents.slice(i, i + batch),
      );
      if (response.statusCode !== 200) throw new Error(response.body);
    }
    const used = process.cpuUsage(cpu);
    timing = false;
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${values.profile ?? ''}-${collection}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    const sql = [...spent.values()].reduce((sum, { ms }) => sum + ms, 0);
    process.stdout.write(
      `\n${collection}: CPU ${((used.user + used.system) / 1000 / count).toFixed(3)} ms a document, SQL ${(sql / count).toFixed(3)} ms a document\n`,
    );
    for (const [source, { n, ms }] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
      process.stdout.write(
        `${ms.toFixed(0).padStart(6)} ms ${String(n).padStart(6)}x  ${source}\n`,
      );
    }
  }
} finally {
  await t.close();
}
