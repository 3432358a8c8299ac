import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemRandomBytes } from '../deps.ts';
import { giftCardClient, sumOf } from '../test-support/gift-cards.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, errorOf } from '../test-support/sales.ts';
import { spendGiftCard } from './ledger.ts';

let t: TestApp;
let card: ReturnType<typeof giftCardClient>;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  card = giftCardClient(t, till);
});
afterEach(async () => {
  await t.close();
});

describe('gift-card spends under concurrency', () => {
  it('of 50 simultaneous spends of €3 from €25, exactly 8 succeed and the balance never goes negative', async () => {
    const code = await card.soldCard();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        card.spend(code, { amount: 300, reference: `order-${i}`, idempotencyKey: `k-${i}` }),
      ),
    );
    const ok = responses.filter((response) => response.statusCode === 200);
    const refused = responses.filter((response) => response.statusCode === 409);
    expect(ok).toHaveLength(8);
    expect(refused).toHaveLength(42);
    for (const response of refused) expect(errorOf(response).error).toBe('insufficient_balance');
    const rows = await card.ledger(code);
    expect(rows.filter((row) => row.kind === 'spend')).toHaveLength(8);
    expect(sumOf(rows)).toBe(100);
    // Every prefix of the ledger, in the order it was written, holds a non-negative balance,
    // and each successful reply saw a distinct balance.
    let running = 0;
    for (const row of rows) {
      running += row.kind === 'spend' ? -row.amount : row.amount;
      expect(running).toBeGreaterThanOrEqual(0);
      expect(row.balance_after).toBe(running);
    }
    const balances = ok.map((response) => response.json<{ balance: number }>().balance);
    expect(balances.sort((a, b) => b - a)).toEqual([2200, 1900, 1600, 1300, 1000, 700, 400, 100]);
    expect((await card.get(code)).json()).toMatchObject({ balance: 100 });
  });

  it('50 simultaneous replays of one idempotencyKey spend once and all answer the same', async () => {
    const code = await card.soldCard();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        card.spend(code, { amount: 999, reference: 'order-1', idempotencyKey: 'once' }),
      ),
    );
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ balance: 1501 });
    }
    expect((await card.ledger(code)).filter((row) => row.kind === 'spend')).toHaveLength(1);
  });

  it('holds for 50 spends started at once below HTTP too (each reads, then writes)', async () => {
    const code = await card.soldCard();
    const deps = { clock: t.clock.now, randomBytes: systemRandomBytes };
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        spendGiftCard(
          t.db,
          {
            code,
            storeId: 'demo-store',
            amount: 1000,
            reference: null,
            idempotencyKey: `k-${i}`,
            actor: 'terminal:test',
          },
          deps,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'spent')).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome.kind === 'insufficient')).toHaveLength(48);
    expect(sumOf(await card.ledger(code))).toBe(500);
  });
});
