import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedInAs } from '../dashboard/test-kit.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { enrolTerminal, errorOf, pushSales, saleMaker } from '../test-support/sales.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
});
afterEach(async () => {
  await t.close();
});

const NUL_MESSAGE =
  'The request holds a NUL character (\\u0000), which no field accepts. Remove it and try again.';

// Found by the fuzzers on PostgreSQL (test/fuzz, FUZZ_SEED=20261127): a NUL in a path segment,
// query or field reached a query and PostgreSQL failed it (500); SQLite had stored it.
describe('a NUL character anywhere in a request', () => {
  it('refuses a pushed sale holding one, and stores nothing', async () => {
    const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
    const sale = await saleMaker(till)();
    const response = await pushSales(t.app, till.token, [
      { ...sale, receiptNumber: `${sale.receiptNumber}\u0000` },
    ]);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({ error: 'nul_character', message: NUL_MESSAGE });
    expect(await t.db.selectFrom('sales').select('id').execute()).toEqual([]);
  });

  it('answers a dashboard page for an id with one with a 400 page saying so', async () => {
    const manager = await signedInAs(t, 'manager', { storeId: 'demo-store' });
    for (const url of ['/dashboard/staff/%00x', '/dashboard/sales?q=%00']) {
      const response = await manager.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(squash(response.body)).toContain('which no field accepts. Remove it and try again.');
    }
  });

  it('answers a portal form with one with a 400 page', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/redeem',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'code=%00',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(squash(response.body)).toContain('which no field accepts.');
  });
});
