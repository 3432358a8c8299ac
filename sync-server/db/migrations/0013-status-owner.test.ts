import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPostgres } from '../connection.ts';
import type { Db } from '../schema.ts';
import { createTestApp, type TestApp } from '../../test-support/harness.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../../test-support/sales.ts';
import { statusOwner } from './0013-status-owner.ts';

async function indexNames(db: Db): Promise<string[]> {
  const query = isPostgres(db)
    ? sql<{
        name: string;
      }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'entitlements'`
    : sql<{
        name: string;
      }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entitlements'`;
  return (await query.execute(db)).rows.map((row) => row.name);
}

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
});
afterEach(async () => {
  await t.close();
});

describe('migration 0013: the terminal that issued each code', () => {
  it("gives the statuses stored before it their sale's terminal", async () => {
    const first = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
    const second = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
    const sales = [
      { till: first, sale: await saleMaker(first)([{ ...GIFT_25, quantity: 2 }]) },
      { till: second, sale: await saleMaker(second)() },
    ];
    for (const { till, sale } of sales) {
      expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    }
    // The table as it was before the migration: no column, no index.
    await statusOwner.down?.(t.db);
    const columns = await t.db.introspection.getTables();
    const entitlements = columns.find((table) => table.name === 'entitlements');
    expect(entitlements?.columns.map((column) => column.name)).not.toContain('terminal_id');
    expect(await indexNames(t.db)).not.toContain('entitlements_terminal_seq');

    await statusOwner.up(t.db);

    const rows = await t.db
      .selectFrom('entitlements')
      .select(['code', 'terminal_id'])
      .orderBy('seq')
      .execute();
    expect(rows).toEqual(
      sales.flatMap(({ till, sale }) =>
        sale.lines.flatMap((line) =>
          line.codes.map((code) => ({ code, terminal_id: till.terminalId })),
        ),
      ),
    );
    expect(await indexNames(t.db)).toContain('entitlements_terminal_seq');
  });
});
