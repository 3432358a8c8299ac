import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { PushResponse, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { extendChain, pushAudit } from '../audit/audit-chain.test-support.ts';
import { auditStatusOf } from '../audit/verify-terminal.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { snapshotTables } from '../test-support/snapshot.ts';
import { testEngine } from '../test-support/test-database.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';

/**
 * A push batch is written in one transaction (push-facts.ts storeBatch): each row must still be
 * answered as if it had its own, a bad row must not keep the good ones off the server, and a
 * batch whose transaction fails must leave no half and no doubles.
 */
let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  makeSale = saleMaker(till);
});
afterEach(async () => {
  await t.close();
});

async function pushOk(documents: unknown[]): Promise<PushResponse> {
  const response = await pushSales(t.app, till.token, documents);
  expect(response.statusCode, response.body).toBe(200);
  return PushResponse.parse(response.json());
}

const twoCodes = () => makeSale([{ ...GIFT_25, quantity: 2 }]);

async function storedSales() {
  const sales = await t.db.selectFrom('sales').select(['id', 'seq']).orderBy('seq').execute();
  const codes = await t.db
    .selectFrom('entitlements')
    .select(['code', 'sale_id', 'seq'])
    .orderBy('seq')
    .execute();
  const events = await t.db.selectFrom('entitlement_events').select('code').execute();
  return { sales, codes, events };
}

describe('a sales push batch, written in one transaction', () => {
  it('stores the good sales around bad ones, each answered as on its own', async () => {
    const first = await twoCodes();
    const forgedCode = await twoCodes();
    const bad = {
      ...forgedCode,
      lines: forgedCode.lines.map((line) => ({
        ...line,
        codes: line.codes.map((code) => `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`),
      })),
    };
    const second = await twoCodes();
    const changedCopy = { ...first, createdAt: '2026-11-26T10:00:01.000Z' };
    const clash = await twoCodes();
    const reusing: Sale = {
      ...clash,
      lines: clash.lines.map((line) => ({ ...line, codes: second.lines[0]?.codes ?? [] })),
    };
    const last = await twoCodes();
    const answer = await pushOk([first, bad, second, first, changedCopy, reusing, last]);
    expect(answer.accepted).toEqual([first.id, second.id, first.id, last.id]);
    expect(answer.rejected.map((row) => row.id)).toEqual([bad.id, changedCopy.id, reusing.id]);
    expect(answer.rejected[2]?.reason).toContain(
      `Code ${formatCode([...(second.lines[0]?.codes ?? [])].sort()[0] ?? '')} already belongs to another sale`,
    );
    const stored = await storedSales();
    expect(stored.sales.map((row) => row.id)).toEqual([first.id, second.id, last.id]);
    // Each sale's seq, then its codes', in push order: the same numbers as one by one.
    expect(stored.codes.map((row) => [row.sale_id, row.seq])).toEqual([
      [first.id, stored.sales[0]!.seq + 1],
      [first.id, stored.sales[0]!.seq + 2],
      [second.id, stored.sales[1]!.seq + 1],
      [second.id, stored.sales[1]!.seq + 2],
      [last.id, stored.sales[2]!.seq + 1],
      [last.id, stored.sales[2]!.seq + 2],
    ]);
    expect(stored.sales[1]!.seq).toBe(stored.sales[0]!.seq + 3);
    expect(stored.events).toHaveLength(6);

    // The same batch again changes nothing and answers the same.
    const before = await snapshotTables(t.db, ['terminals']);
    expect(await pushOk([first, bad, second, first, changedCopy, reusing, last])).toEqual(answer);
    expect(await snapshotTables(t.db, ['terminals'])).toEqual(before);
  });

  it('rolls back a batch whose transaction fails, stores it one by one, and a retry writes no doubles', async () => {
    const sales = [await twoCodes(), await twoCodes(), await twoCodes(), await twoCodes()];
    const failing = sales[2]!;
    // On PostgreSQL the failure comes at COMMIT (a deferred constraint trigger); on SQLite, which
    // has none, at the failing sale's INSERT. Either way the whole batch transaction fails.
    if (testEngine() === 'postgres') {
      await sql`create function fail_sale() returns trigger language plpgsql as $$
        begin
          if new.receipt_number = ${sql.lit(failing.receiptNumber)} then
            raise exception 'injected failure';
          end if;
          return null;
        end $$`.execute(t.db);
      await sql`create constraint trigger fail_sale after insert on sales
        deferrable initially deferred for each row execute function fail_sale()`.execute(t.db);
    } else {
      await sql`create trigger fail_sale before insert on sales
        when new.receipt_number = ${sql.lit(failing.receiptNumber)}
        begin select raise(abort, 'injected failure'); end`.execute(t.db);
    }
    const failed = await pushSales(t.app, till.token, sales);
    expect(failed.statusCode).toBe(500);
    // One transaction per sale after the batch failed: the sales before the failing one stand.
    expect((await storedSales()).sales.map((row) => row.id)).toEqual([sales[0]!.id, sales[1]!.id]);

    await sql`drop trigger fail_sale ${sql.raw(testEngine() === 'postgres' ? 'on sales' : '')}`.execute(
      t.db,
    );
    expect(await pushOk(sales)).toEqual({ accepted: sales.map((sale) => sale.id), rejected: [] });
    const stored = await storedSales();
    expect(stored.sales.map((row) => row.id)).toEqual(sales.map((sale) => sale.id));
    expect(stored.codes).toHaveLength(8);
    expect(new Set(stored.codes.map((row) => row.seq)).size).toBe(8);
    expect(stored.events).toHaveLength(8);
  });
});

describe('an audit push batch, written in one transaction', () => {
  it('stores the good events around a tampered one; the chain verdict is the one-by-one verdict', async () => {
    const chain = await extendChain(till, [], 6);
    const answer = await pushAudit(t.app, till.token, [
      chain[0],
      chain[1],
      chain[2],
      // Changed after it was recorded: its own hash no longer matches.
      { ...chain[3], detail: { total: 1 } },
      chain[4],
      chain[5],
    ]);
    expect(answer.accepted).toEqual([0, 1, 2, 4, 5].map((i) => chain[i]!.id));
    expect(answer.rejected.map((row) => row.id)).toEqual([chain[3]!.id]);
    // Event 4 is missing: verified up to 3, the rest waits for it.
    expect(await auditStatusOf(t.db, till.terminalId)).toMatchObject({
      verifiedSeq: 3,
      lastSeq: 6,
    });
    // The missing event arrives in a batch with repeats, out of order: the chain heals to ok.
    await pushAudit(t.app, till.token, [chain[5], chain[3], chain[0]]);
    expect(await auditStatusOf(t.db, till.terminalId)).toMatchObject({
      status: 'ok',
      verifiedSeq: 6,
      lastSeq: 6,
      problems: [],
    });
    expect(await t.db.selectFrom('audit_events').select('id').execute()).toHaveLength(6);
  });
});
