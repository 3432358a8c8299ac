import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { entitlementOf, latestSeq, stateOf } from '../test-support/entitlements.ts';
import { inTransaction } from '../db/transaction.ts';
import { isPostgres } from '../db/connection.ts';
import { sql } from 'kysely';
import {
  createRedeemQueue,
  inOneTransaction,
  redeemTogether,
  type Redemption,
  type WriteGroup,
} from './redeem-queue.ts';
import { redeemInOneStatement } from './redeem-statement.ts';
import { testEngine } from '../test-support/test-database.ts';

let t: TestApp;
let codes: string[];
/** The terminal that sold the codes: a redemption names it, so only its till is told. */
let seller: string;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  seller = till.terminalId;
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

/** The group writers of the engine under test: the one statement exists on PostgreSQL only. */
const writers = (): [string, WriteGroup][] =>
  testEngine() === 'postgres'
    ? [
        ['redeemTogether in a transaction', inOneTransaction],
        ['redeemInOneStatement', redeemInOneStatement],
      ]
    : [['redeemTogether in a transaction', inOneTransaction]];

describe.each(writers())('%s', (_name, write) => {
  it('redeems each known code once, in order, with consecutive new seqs and one event each', async () => {
    const [a, b, c, d] = codes as [string, string, string, string];
    await t.db.updateTable('entitlements').set({ state: 'voided' }).where('code', '=', c).execute();
    const seqBefore = await latestSeq(t.db);
    const outcomes = await write(t.db, [b, a, c, b, 'NOSUCHCODE', d].map(redemption), deps());
    const at = t.clock.now().toISOString();
    const won = { storeId: 'demo-store', terminalId: seller, consumedAt: at };
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
    await write(t.db, [redemption(codes[0]!)], deps());
    const seqAfter = await latestSeq(t.db);
    expect(seqAfter).toBe(seqBefore + 1);
    const outcomes = await write(t.db, [redemption(codes[0]!)], deps());
    expect(outcomes).toEqual([null]);
    expect(await latestSeq(t.db)).toBe(seqAfter);
    expect(await consumedEvents(codes[0]!)).toHaveLength(1);
  });

  it('waits for a writer holding the writer lock, then sees what it changed (no deadlock)', async () => {
    const [a, b] = codes as [string, string];
    let raced: ReturnType<WriteGroup> | undefined;
    await inTransaction(t.db, async (trx) => {
      // Another writer holds the lock; the group is asked for meanwhile and must wait for it
      // before locking any code, or the void below would wait on the group and deadlock.
      raced = write(t.db, [a, b].map(redemption), deps());
      await untilWaitingForWriterLock();
      await trx
        .updateTable('entitlements')
        .set({ state: 'voided' })
        .where('code', '=', a)
        .execute();
    });
    expect(await raced).toEqual([
      null,
      { storeId: 'demo-store', terminalId: seller, consumedAt: t.clock.now().toISOString() },
    ]);
    expect(await stateOf(t.db, a)).toBe('voided');
    expect(await consumedEvents(a)).toEqual([]);
  });

  it('redeems a code once when two groups ask for it at once, seqs still consecutive', async () => {
    const [a, b, c] = codes as [string, string, string];
    const seqBefore = await latestSeq(t.db);
    const [first, second] = await Promise.all([
      write(t.db, [a, b].map(redemption), deps()),
      write(t.db, [b, c].map(redemption), deps()),
    ]);
    const bWins = [first[1], second[0]].filter((outcome) => outcome !== null);
    expect(bWins).toHaveLength(1);
    expect([first[0], second[1]].every((outcome) => outcome !== null)).toBe(true);
    const seqs = await Promise.all(
      [a, b, c].map(async (code) => (await entitlementOf(t.db, code)).seq),
    );
    expect([...seqs].sort((x, y) => x - y)).toEqual([seqBefore + 1, seqBefore + 2, seqBefore + 3]);
    expect(await latestSeq(t.db)).toBe(seqBefore + 3);
    expect(await consumedEvents(b)).toHaveLength(1);
  });
});

/**
 * Resolves once another connection waits for the writer lock (PostgreSQL). SQLite has one
 * connection: a second writer cannot begin while the transaction holds it, so nothing to wait for.
 */
async function untilWaitingForWriterLock(): Promise<void> {
  if (!isPostgres(t.db)) return;
  for (let tries = 0; tries < 500; tries += 1) {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted
    `.execute(t.db);
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('No connection came to wait for the writer lock.');
}

describe('createRedeemQueue', () => {
  it('writes the redemptions asked for together in one transaction, each answered after it', async () => {
    const batches: number[] = [];
    const queue = createRedeemQueue(t.db, deps(), async (on, batch, d) => {
      batches.push(batch.length);
      return inOneTransaction(on, batch, d);
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
    const queue = createRedeemQueue(t.db, deps(), (on, batch, d) =>
      inTransaction(on, async (trx) => {
        batches.push(batch.map((item) => item.code));
        const outcomes = await redeemTogether(trx, batch, d);
        // Fails after writing, so the batch's writes must be rolled back.
        if (batch.some((item) => item.code === b)) throw new Error('disk full');
        return outcomes;
      }),
    );
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
    const queue = createRedeemQueue(t.db, deps(), async (on, batch, d) => {
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
      return inOneTransaction(on, batch, d);
    });
    expect(await queue.redeem(redemption(a))).not.toBeNull();
    expect(await later).toEqual([
      { storeId: 'demo-store', terminalId: seller, consumedAt: expect.any(String) as string },
      { storeId: 'demo-store', terminalId: seller, consumedAt: expect.any(String) as string },
    ]);
    // Not one read had to finish first.
    expect(readsDoneAtGroup).toEqual([0, 0]);
    await reads;
  });
});
