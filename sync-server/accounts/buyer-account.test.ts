import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { findOrCreateAccount } from './accounts.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('background accounts for buyers', () => {
  it('makes no account at push time, then one account for a repeated buyer e-mail', async () => {
    const till = await enrolTerminal(t.app, await t.pairingCode());
    const makeSale = saleMaker(till);
    const first = await makeSale([GIFT_25], { buyerEmail: 'Buyer@Example.test' });
    const second = await makeSale([GIFT_25], { buyerEmail: 'buyer@example.test' });
    const anonymous = await makeSale([GIFT_25]);
    expect((await pushSales(t.app, till.token, [first, second, anonymous])).statusCode).toBe(200);
    expect((await pushSales(t.app, till.token, [first])).statusCode).toBe(200);
    expect(await t.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
    const jobs = await t.db
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('kind', '=', 'buyer-account')
      .orderBy('idempotency_key')
      .execute();
    expect(jobs.map((job) => job.idempotency_key).sort()).toEqual(
      [`buyer-account:${first.id}`, `buyer-account:${second.id}`].sort(),
    );

    await t.outbox.runOnce();
    const accounts = await t.db.selectFrom('accounts').selectAll().execute();
    expect(accounts.map((account) => account.email)).toEqual(['buyer@example.test']);
    const rows = await t.db
      .selectFrom('entitlements')
      .select(['sale_id', 'buyer_account_id'])
      .execute();
    for (const row of rows) {
      expect(row.buyer_account_id).toBe(row.sale_id === anonymous.id ? null : accounts[0]?.id);
    }
  });

  it('finds or creates one account under concurrent calls', async () => {
    const deps = {
      clock: t.clock.now,
      randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
    };
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        findOrCreateAccount(t.db, i % 2 === 0 ? ' X@Example.test' : 'x@example.test ', deps),
      ),
    );
    expect(new Set(made.map((account) => account.id)).size).toBe(1);
    expect(await t.db.selectFrom('accounts').selectAll().execute()).toHaveLength(1);
  });
});
