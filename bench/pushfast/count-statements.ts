/**
 * `tsx bench/pushfast/count-statements.ts [--sales 20]`: the SQL statements one sales push and
 * one audit push run per document, in process on SQLite (every statement better-sqlite3 prepares
 * is counted by its text; PostgreSQL runs the same ones plus one advisory lock per transaction).
 */
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { createTestApp } from '../../sync-server/test-support/harness.ts';
import { pushFacts } from '../../sync-server/test-support/sales.ts';
import { salesWithAuditEvents } from './push-documents.ts';

const { values } = parseArgs({ options: { sales: { type: 'string', default: '20' } } });
const count = Number(values.sales);

const statements = new Map<string, number>();
let counting = false;
type Prepare = (this: SQLite.Database, source: string) => SQLite.Statement;
const prepare = Reflect.get(SQLite.prototype, 'prepare') as Prepare;
Reflect.set(SQLite.prototype, 'prepare', function (this: SQLite.Database, source: string) {
  if (counting) statements.set(source, (statements.get(source) ?? 0) + 1);
  return prepare.call(this, source);
} satisfies Prepare);

const t = await createTestApp({ demo: true });
try {
  const { till, sales, audit } = await salesWithAuditEvents(t, count);
  for (const [collection, documents] of [
    ['sales', sales],
    ['audit', audit],
  ] as const) {
    statements.clear();
    counting = true;
    const response = await pushFacts(t.app, till.token, collection, documents);
    counting = false;
    if (response.statusCode !== 200) throw new Error(response.body);
    const total = [...statements.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(
      `\n${collection}: ${String(total)} statements for ${String(count)} documents (${(total / count).toFixed(1)} each)\n`,
    );
    for (const [source, n] of [...statements].sort((a, b) => b[1] - a[1])) {
      process.stdout.write(`${String(n).padStart(5)}  ${source.slice(0, 150)}\n`);
    }
  }
} finally {
  await t.close();
}
