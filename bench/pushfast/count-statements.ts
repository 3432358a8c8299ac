/**
 * `tsx bench/pushfast/count-statements.ts [--sales 20]`: the SQL statements one sales push and
 * one audit push run per document, in process on SQLite (every statement better-sqlite3 prepares
 * is counted by its text; PostgreSQL runs the same ones plus one advisory lock per transaction).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { appendAuditEvent } from '../../shared/audit/audit-chain.ts';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import { createTestApp } from '../../sync-server/test-support/harness.ts';
import {
  enrolTerminal,
  pushFacts,
  saleMaker,
  GIFT_25,
} from '../../sync-server/test-support/sales.ts';

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
  const till = await enrolTerminal(t.app, await t.pairingCode());
  const makeSale = saleMaker(till);
  const sales = [];
  const audit: AuditEvent[] = [];
  for (let i = 0; i < count; i++) {
    const sale = await makeSale([{ ...GIFT_25, quantity: 1 + (i % 3) }]);
    sales.push(sale);
    audit.push(
      await appendAuditEvent(audit.at(-1) ?? null, {
        id: randomUUID(),
        storeId: till.storeId,
        terminalId: till.terminalId,
        kind: 'sale',
        staffId: null,
        subjectId: sale.id,
        detail: { receiptNumber: sale.receiptNumber, total: sale.total },
        createdAt: sale.createdAt,
      }),
    );
  }
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
