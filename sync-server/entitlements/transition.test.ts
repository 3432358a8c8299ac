import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { transitionEntitlement } from './transition.ts';
import { entitlementOf, latestSeq, stateOf } from '../test-support/entitlements.ts';

let t: TestApp;
let code: string;
let seller: string;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  seller = till.terminalId;
  const sale = await saleMaker(till)();
  expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
  code = sale.lines[0]!.codes[0]!;
});
afterEach(async () => {
  await t.close();
});

const deps = () => ({ clock: t.clock.now, randomBytes });

describe('transitionEntitlement', () => {
  it('refuses a move the lifecycle does not allow, and writes nothing', async () => {
    await expect(
      t.db
        .transaction()
        .execute((trx) =>
          transitionEntitlement(
            trx,
            { code, from: 'consumed', to: 'known', actor: 'system', reason: 'test' },
            deps(),
          ),
        ),
    ).rejects.toThrow(/cannot go from consumed to known/);
    expect(await stateOf(t.db, code)).toBe('known');
  });

  it('moves a code once, takes a new seq and records who and why', async () => {
    const before = await entitlementOf(t.db, code);
    const move = () =>
      t.db
        .transaction()
        .execute((trx) =>
          transitionEntitlement(
            trx,
            { code, from: 'known', to: 'voided', actor: 'system', reason: 'sale refunded' },
            deps(),
          ),
        );
    // Whom to tell: the store, and the till that sold the code (the only one that pulls it).
    expect(await move()).toEqual({ storeId: 'demo-store', terminalId: seller });
    expect(await move()).toBeNull();
    const row = await entitlementOf(t.db, code);
    expect(row.state).toBe('voided');
    expect(row.seq).toBeGreaterThan(before.seq);
    expect(row.seq).toBe(await latestSeq(t.db));
    const events = await t.db
      .selectFrom('entitlement_events')
      .selectAll()
      .where('code', '=', code)
      .where('to_state', '=', 'voided')
      .execute();
    expect(events.map((event) => [event.from_state, event.actor, event.reason])).toEqual([
      ['known', 'system', 'sale refunded'],
    ]);
  });
});
