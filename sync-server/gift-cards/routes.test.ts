import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { PCR_VOUCHER, giftCardClient, sumOf } from '../test-support/gift-cards.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { codeKeyOf, enrolTerminal, errorOf } from '../test-support/sales.ts';
import { GIFT_CARD_RATE_LIMIT } from './routes.ts';

let t: TestApp;
let card: ReturnType<typeof giftCardClient>;
let code: string;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  card = giftCardClient(t, till);
  code = await card.soldCard();
});
afterEach(async () => {
  await t.close();
});

const spendOf = (amount: unknown, key = 'k1') => ({
  amount,
  reference: 'order-1',
  idempotencyKey: key,
});

describe('gift-card API: refusals', () => {
  it('refuses a request without a token (401) or without the protocol header (426)', async () => {
    const url = `${API_PREFIX}/gift-cards/${code}`;
    const noToken = await t.app.inject({
      method: 'POST',
      url: `${url}/spend`,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      payload: spendOf(100),
    });
    expect(noToken.statusCode).toBe(401);
    expect(errorOf(noToken).error).toBe('unauthorized');
    const noProtocol = await t.app.inject({ method: 'GET', url, headers: {} });
    expect(noProtocol.statusCode).toBe(426);
    expect(sumOf(await card.ledger(code))).toBe(2500);
  });

  it("refuses another store's terminal with 403, reading and spending alike", async () => {
    const other = await t.addStore('Other Shop');
    const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Their till');
    const read = await card.get(code, stranger.token);
    expect(read.statusCode).toBe(403);
    expect(errorOf(read)).toMatchObject({ error: 'wrong_store' });
    const spent = await card.spend(code, spendOf(100), stranger.token);
    expect(spent.statusCode).toBe(403);
    expect(await card.ledger(code)).toHaveLength(1);
  });

  it('refuses an amount that is not a positive whole number with 400 and a message', async () => {
    for (const amount of [0, -100, 12.5, '100', null, Number.MAX_SAFE_INTEGER + 2]) {
      const response = await card.spend(code, spendOf(amount));
      expect(response.statusCode, String(amount)).toBe(400);
      expect(errorOf(response).message).toMatch(/amount/);
    }
    const noKey = await card.spend(code, { amount: 100 });
    expect(errorOf(noKey).message).toMatch(/idempotencyKey/);
    expect(await card.ledger(code)).toHaveLength(1);
  });

  it('answers 404 for an unknown code and for a code that is not a gift card', async () => {
    const till = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const neverSold = await issueCode({
      prefix: till.terminalPrefix,
      serial: 7,
      key: codeKeyOf(till),
    });
    const voucher = await card.soldCard(PCR_VOUCHER);
    for (const unknown of [neverSold, voucher]) {
      expect((await card.get(unknown)).statusCode).toBe(404);
      const spent = await card.spend(unknown, spendOf(100));
      expect(errorOf(spent)).toMatchObject({ error: 'gift_card_not_found' });
      expect(spent.statusCode).toBe(404);
    }
    expect((await card.get('not-a-code')).statusCode).toBe(400);
    const rows = await t.db.selectFrom('gift_card_ledger').select('code').execute();
    expect(rows.map((row) => row.code)).toEqual([code]);
  });

  it('refuses to spend from a voided card with 409', async () => {
    await t.db
      .updateTable('entitlements')
      .set({ state: 'voided' })
      .where('code', '=', code)
      .execute();
    const response = await card.spend(code, spendOf(100));
    expect(response.statusCode).toBe(409);
    expect(errorOf(response).error).toBe('gift_card_unusable');
  });

  it('refuses to spend from a card past its validity, swept or not, and says why', async () => {
    // The demo gift card is valid for 365 days from the sale.
    t.clock.advance(365 * 86_400_000);
    const response = await card.spend(code, spendOf(100));
    expect(response.statusCode).toBe(409);
    expect(errorOf(response)).toEqual({
      error: 'gift_card_unusable',
      message:
        'This gift card has expired: its validity ended, so it cannot be spent. Take the payment another way.',
    });
    expect(sumOf(await card.ledger(code))).toBe(2500);
  });

  it('rate-limits a terminal', async () => {
    for (let i = 0; i < GIFT_CARD_RATE_LIMIT; i++) {
      expect((await card.get(code)).statusCode).toBe(200);
    }
    const limited = await card.get(code);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).error).toBe('rate_limited');
    // Keyed by terminal, not by address: the till next to it still works.
    const neighbour = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    expect((await card.get(code, neighbour.token)).statusCode).toBe(200);
  });
});

describe('gift-card API: spending', () => {
  it('shows the issued balance and its ledger', async () => {
    const response = await card.get(code);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      code,
      currency: 'EUR',
      balance: 2500,
      entries: [{ kind: 'issue', amount: 2500 }],
    });
  });

  it('spends in parts; the balance always equals the sum of the ledger rows', async () => {
    for (const [amount, balance] of [
      [1000, 1500],
      [250, 1250],
    ] as const) {
      const response = await card.spend(code, spendOf(amount, `key-${amount}`));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ balance });
      expect(sumOf(await card.ledger(code))).toBe(balance);
      expect((await card.get(code)).json()).toMatchObject({ balance });
    }
    const tooMuch = await card.spend(code, spendOf(1251, 'key-too-much'));
    expect(tooMuch.statusCode).toBe(409);
    expect(errorOf(tooMuch)).toMatchObject({ error: 'insufficient_balance' });
    expect(errorOf(tooMuch).message).toContain('€12.50');
    const exact = await card.spend(code, spendOf(1250, 'key-rest'));
    expect(exact.json()).toEqual({ balance: 0 });
    const rows = await card.ledger(code);
    expect(rows.map((row) => [row.kind, row.amount, row.actor.startsWith('terminal:')])).toEqual([
      ['issue', 2500, true],
      ['spend', 1000, true],
      ['spend', 250, true],
      ['spend', 1250, true],
    ]);
  });

  it('replays a repeated idempotencyKey without spending again', async () => {
    const first = await card.spend(code, spendOf(700, 'till-1-order-9'));
    await card.spend(code, spendOf(300, 'other'));
    const again = await card.spend(code, spendOf(700, 'till-1-order-9'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(first.json()).toEqual({ balance: 1800 });
    expect(sumOf(await card.ledger(code))).toBe(1500);
    const changed = await card.spend(code, spendOf(701, 'till-1-order-9'));
    expect(changed.statusCode).toBe(409);
    expect(errorOf(changed).error).toBe('idempotency_key_reused');
    expect(await card.ledger(code)).toHaveLength(3);
  });
});
