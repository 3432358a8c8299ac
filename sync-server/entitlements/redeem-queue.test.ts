import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { entitlementOf, latestSeq } from '../test-support/entitlements.ts';
import { inTransaction } from '../db/transaction.ts';
import { isPostgres } from '../db/connection.ts';
import { sql } from 'kysely';
import { createRedeemQueue, redeemTogether, type Redemption } from './redeem-queue.ts';

let t: TestApp;
let codes: string[];
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  const sale = await saleMaker(till)([
    {
      productId: 'prod-before-templates',
      name: 'Entry',
      kind: 'voucher',
      unitPrice: 500,
      quantity: 4,
    },
  ]);
  expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
  codes = sale.lines.flatMap((line) => line.codes);
  expect(codes).toHaveLength(4);
});
afterEach(async () => {
  await t.close();
});

const deps = () => ({ clock: t.clock.now, randomBytes });
const redemption = (code: string): Redemption => ({
  code,
  actor: 'anonymous',
  reason: 'redeemed on the portal',
});

function consumedEvents(code: string) {
  return t.db
    .selectFrom('entitlement_events')
    .select(['from_state', 'to_state', 'actor', 'reason'])
    .where('code', '=', code)
    .where('to_state', '=', 'consumed')
    .execute();
}

describe('redeemTogether', () => {
  it('redeems each known code once, in order, with consecutive new seqs and one event each', async () => {
    const [a, b, c, d] = codes as [string, string, string, string];
    await t.db.updateTable('entitlements').set({ state: 'voided' }).where('code', '=', c).execute();
    const seqBefore = await latestSeq(t.db);
    const outcomes = await inTransaction(t.db, (trx) =>
      redeemTogether(trx, [b, a, c, b, 'NOSUCHCODE', d].map(redemption), deps()),
    );
    const at = t.clock.now().toISOString();
    const won = { storeId: 'demo-store', consumedAt: at };
    expect(outcomes).toEqual([won, won, null, null, null, won]);
    // The winners, in the order they came: b, a, d.
    expect((await entitlementOf(t.db, b)).seq).toBe(seqBefore + 1);
    expect((await entitlementOf(t.db, a)).seq).toBe(seqBefore + 2);
    expect((await entitlementOf(t.db, d)).seq).toBe(seqBefore + 3);
    expect(await latestSeq(t.db)).toBe(seqBefore + 3);
    for (const code of [a, b, d]) {
      const row = await entitlementOf(t.db, code);
      expect([row.state, row.consumed_at, row.updated_at]).toEqual(['consumed', at, at]);
      expect(await consumedEvents(code)).toEqual([
        {
          from_state: 'known',
          to_state: 'consumed',
          actor: 'anonymous',
          reason: 'redeemed on the portal',
        },
      ]);
    }
    expect((await entitlementOf(t.db, c)).state).toBe('voided');
    expect(await consumedEvents(c)).toEqual([]);
  });

  it('takes no seq and writes no event when nothing was redeemable', async () => {
    const seqBefore = await latestSeq(t.db);
    await inTransaction(t.db, (trx) => redeemTogether(trx, [redemption(codes[0]!)], deps()));
    const seqAfter = await latestSeq(t.db);
    expect(seqAfter).toBe(seqBefore + 1);
    const outcomes = await inTransaction(t.db, (trx) =>
      redeemTogether(trx, [redemption(codes[0]!)], deps()),
    );
    expect(outcomes).toEqual([null]);
    expect(await latestSeq(t.db)).toBe(seqAfter);
    expect(await consumedEvents(codes[0]!)).toHaveLength(1);
  });
});

describe('createRedeemQueue', () => {
  it('writes the redemptions asked for together in one transaction, each answered after it', async () => {
    const batches: number[] = [];
    const queue = createRedeemQueue(t.db, deps(), async (trx, batch, d) => {
      batches.push(batch.length);
      return redeemTogether(trx, batch, d);
    });
    const [a, b, c] = codes as [string, string, string];
    const outcomes = await Promise.all([a, b, a, c].map((code) => queue.redeem(redemption(code))));
    expect(batches).toEqual([4]);
    expect(outcomes.map((outcome) => outcome?.storeId ?? null)).toEqual([
      'demo-store',
      'demo-store',
      null,
      'demo-store',
    ]);
    for (const code of [a, b, c]) expect((await entitlementOf(t.db, code)).state).toBe('consumed');
    // Asked for later: a transaction of its own.
    expect(await queue.redeem(redemption(a))).toBeNull();
    expect(batches).toEqual([4, 1]);
  });

  it('writes a failed batch again one redemption a transaction, so each gets its own answer', async () => {
    const [a, b, c] = codes as [string, string, string];
    const batches: string[][] = [];
    const queue = createRedeemQueue(t.db, deps(), async (trx, batch, d) => {
      batches.push(batch.map((item) => item.code));
      const outcomes = await redeemTogether(trx, batch, d);
      // Fails after writing, so the batch's writes must be rolled back.
      if (batch.some((item) => item.code === b)) throw new Error('disk full');
      return outcomes;
    });
    const settled = await Promise.allSettled(
      [a, b, c].map((code) => queue.redeem(redemption(code))),
    );
    expect(batches).toEqual([[a, b, c], [a], [b], [c]]);
    expect(settled.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((await entitlementOf(t.db, a)).state).toBe('consumed');
    expect((await entitlementOf(t.db, b)).state).toBe('known');
    expect(await consumedEvents(b)).toEqual([]);
    expect((await entitlementOf(t.db, c)).state).toBe('consumed');
    expect(await consumedEvents(a)).toHaveLength(1);
  });

  it('writes the next group on the same connection, not after the pool serves the reads queued meanwhile', async () => {
    const [a, b, c] = codes as [string, string, string];
    const postgres = isPostgres(t.db);
    let readsDone = 0;
    let reads: Promise<unknown> = Promise.resolve();
    let later: Promise<unknown> | undefined;
    const readsDoneAtGroup: number[] = [];
    const queue = createRedeemQueue(t.db, deps(), async (trx, batch, d) => {
      readsDoneAtGroup.push(readsDone);
      if (later === undefined) {
        // Asked for while this group is written: the next group of the same drain.
        later = Promise.all([b, c].map((code) => queue.redeem(redemption(code))));
        if (postgres) {
          // More slow reads than the pool has connections, queued before the next group.
          reads = Promise.all(
            Array.from({ length: 12 }, () =>
              sql`select pg_sleep(1)`.execute(t.db).then(() => {
                readsDone += 1;
              }),
            ),
          );
        }
      }
      return redeemTogether(trx, batch, d);
    });
    expect(await queue.redeem(redemption(a))).not.toBeNull();
    expect(await later).toEqual([
      { storeId: 'demo-store', consumedAt: expect.any(String) as string },
      { storeId: 'demo-store', consumedAt: expect.any(String) as string },
    ]);
    // Not one read had to finish first.
    expect(readsDoneAtGroup).toEqual([0, 0]);
    await reads;
  });
});
