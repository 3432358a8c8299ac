import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe/fake-stripe.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, errorOf, pushSales, saleMaker } from '../test-support/sales.ts';
import { CARD_STATUS_TTL_MS } from './card-status.ts';
import { createStripeGateway } from './stripe-gateway.ts';
import { cardClient } from './test-card-client.ts';

let fake: FakeStripe;
let t: TestApp;
let till: EnrolResponse;
let card: ReturnType<typeof cardClient>;
beforeEach(async () => {
  fake = await startFakeStripe();
  const { gateway } = createStripeGateway({ secretKey: 'sk_test_routes', apiBase: fake.url });
  t = await createTestApp({ demo: true, payments: gateway });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  card = cardClient(t, till.token);
});
afterEach(async () => {
  await t.close();
  await fake.close();
});

const SALE = 'sale-0001';

describe('payments API: refusals', () => {
  it('answers 503 card_unavailable when no Stripe key is configured, and says so in status', async () => {
    const cashOnly = await createTestApp({ demo: true });
    try {
      const other = await enrolTerminal(cashOnly.app, await cashOnly.pairingCode('demo-store'));
      const client = cardClient(cashOnly, other.token);
      const created = await client.createIntent({ saleId: SALE, amount: 1000, attempt: 1 });
      expect(created.statusCode).toBe(503);
      expect(errorOf(created)).toMatchObject({ error: 'card_unavailable' });
      expect(errorOf(created).message).toMatch(/take cash/);
      expect((await client.connectionToken()).statusCode).toBe(503);
      expect((await client.status()).json()).toEqual({
        card: 'not_configured',
        reason: expect.stringContaining('take cash') as unknown,
        simulated: false,
        testMode: false,
      });
    } finally {
      await cashOnly.close();
    }
  });

  it('refuses a request without a terminal token (401)', async () => {
    const response = await card.createIntent({ saleId: SALE, amount: 1000, attempt: 1 }, 'nope');
    expect(response.statusCode).toBe(401);
    expect(fake.intents.size).toBe(0);
  });

  it('refuses an amount that is not a positive whole number, naming it (400)', async () => {
    for (const amount of [0, -5, 12.5, '1000', null]) {
      const response = await card.createIntent({ saleId: SALE, amount, attempt: 1 });
      expect(response.statusCode, String(amount)).toBe(400);
      expect(errorOf(response).message).toMatch(/amount/);
    }
    expect(fake.intents.size).toBe(0);
  });

  it("refuses another store's terminal (404) and another till of the store (403)", async () => {
    const created = await card.createIntent({ saleId: SALE, amount: 1000, attempt: 1 });
    const { id } = created.json<{ id: string }>();
    const other = await t.addStore('Other Shop');
    const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Their till');
    expect((await card.capture(id, stranger.token)).statusCode).toBe(404);
    const till2 = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const cancel = await card.cancel(id, till2.token);
    expect(cancel.statusCode).toBe(403);
    expect(errorOf(cancel).error).toBe('other_terminal');
    expect(fake.intents.get(id)?.status).toBe('requires_payment_method');
  });

  it('refuses to capture before a card was presented (409) and after a decline', async () => {
    const created = await card.createIntent({ saleId: SALE, amount: 1001, attempt: 1 });
    const { id } = created.json<{ id: string }>();
    expect((await card.capture(id)).statusCode).toBe(409);
    const declined = await card.simulate(id);
    expect(declined.json()).toMatchObject({ approved: false, declineCode: 'call_issuer' });
    expect(declined.json<{ message: string }>().message).toMatch(/another card or take cash/);
    expect((await card.capture(id)).statusCode).toBe(409);
  });

  it('reports Stripe unreachable as 503 card_unreachable, and in status', async () => {
    fake.setUnreachable(true);
    const created = await card.createIntent({ saleId: SALE, amount: 1000, attempt: 1 });
    expect(created.statusCode).toBe(503);
    expect(errorOf(created)).toMatchObject({ error: 'card_unreachable' });
    expect(errorOf(created).message).toMatch(/cannot be reached/);
    expect((await card.status()).json()).toMatchObject({ card: 'unreachable' });
  });

  it('refuses a new card payment for a sale that is already on the server', async () => {
    const sale = await saleMaker(till)();
    await pushSales(t.app, till.token, [sale]);
    const created = await card.createIntent({ saleId: sale.id, amount: 1000, attempt: 1 });
    expect(created.statusCode).toBe(409);
    expect(errorOf(created).error).toBe('sale_closed');
  });
});

describe('payments API: a card payment', () => {
  it('reports ready, cached for a while, and hands out connection tokens', async () => {
    // The fake is reached with a sk_test_ key: simulated at the POS, and Stripe test mode.
    expect((await card.status()).json()).toEqual({
      card: 'ready',
      reason: '',
      simulated: true,
      testMode: true,
    });
    fake.setUnreachable(true);
    expect((await card.status()).json()).toMatchObject({ card: 'ready' });
    t.clock.advance(CARD_STATUS_TTL_MS);
    expect((await card.status()).json()).toMatchObject({ card: 'unreachable' });
    fake.setUnreachable(false);
    const token = await card.connectionToken();
    expect(token.json<{ secret: string }>().secret).toMatch(/^pst_test_/);
  });

  it('creates a manual-capture intent once per attempt, recorded for the terminal', async () => {
    const body = { saleId: SALE, amount: 1250, attempt: 1 };
    const first = await card.createIntent(body);
    const again = await card.createIntent(body);
    expect(first.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ amount: 1250, status: 'requires_payment_method' });
    expect(first.json<{ clientSecret: string }>().clientSecret).toMatch(/_secret_/);
    expect(fake.intents.size).toBe(1);
    const [intent] = fake.intents.values();
    expect(intent?.metadata).toEqual({
      saleId: SALE,
      storeId: 'demo-store',
      terminalId: till.terminalId,
    });
    const row = await t.db.selectFrom('payment_intents').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ terminal_id: till.terminalId, sale_id: SALE, amount: 1250 });
    const changed = await card.createIntent({ ...body, amount: 999 });
    expect(changed.statusCode).toBe(409);
    expect((await card.createIntent({ ...body, attempt: 2 })).statusCode).toBe(200);
    expect(fake.intents.size).toBe(2);
  });

  it('captures the approved amount once, with the card, idempotently', async () => {
    const { id } = (await card.createIntent({ saleId: SALE, amount: 1250, attempt: 1 })).json<{
      id: string;
    }>();
    expect((await card.simulate(id)).json()).toMatchObject({
      approved: true,
      amountCapturable: 1250,
    });
    const captured = await card.capture(id);
    const twice = await card.capture(id);
    expect(captured.json()).toEqual({
      id,
      status: 'succeeded',
      amount: 1250,
      amountReceived: 1250,
      card: { brand: 'visa', last4: '4242' },
      partial: false,
    });
    expect(twice.json()).toEqual(captured.json());
    expect(fake.requests.filter((request) => request.endsWith('/capture'))).toHaveLength(1);
  });

  it('captures a partial approval as partial', async () => {
    const { id } = (await card.createIntent({ saleId: SALE, amount: 5000, attempt: 1 })).json<{
      id: string;
    }>();
    await card.simulate(id, 'partial_approval');
    expect((await card.capture(id)).json()).toMatchObject({ amountReceived: 2500, partial: true });
  });

  it('cancels an uncaptured intent and refunds a captured one (void before close)', async () => {
    const open = (await card.createIntent({ saleId: SALE, amount: 1000, attempt: 1 })).json<{
      id: string;
    }>();
    expect((await card.cancel(open.id)).json()).toEqual({ id: open.id, status: 'canceled' });
    expect((await card.cancel(open.id)).json()).toEqual({ id: open.id, status: 'canceled' });
    expect(fake.intents.get(open.id)?.status).toBe('canceled');

    const paid = await card.paid(SALE, 3000, 2);
    const voided = await card.cancel(paid);
    expect(voided.json()).toMatchObject({ id: paid, status: 'refunded' });
    expect((await card.cancel(paid)).json()).toMatchObject({ status: 'refunded' });
    expect(fake.refunds).toEqual([expect.objectContaining({ paymentIntent: paid, amount: 3000 })]);
  });

  it('will not void a card payment of a sale that is already closed', async () => {
    const makeSale = saleMaker(till);
    const sale = await makeSale();
    const paid = await card.paid(sale.id, sale.total);
    const pushed = await pushSales(t.app, till.token, [
      { ...sale, payments: [{ method: 'card', amount: sale.total, paymentIntentId: paid }] },
    ]);
    expect(pushed.json()).toEqual({ accepted: [sale.id], rejected: [] });
    const cancel = await card.cancel(paid);
    expect(cancel.statusCode).toBe(409);
    expect(errorOf(cancel).message).toMatch(/order history/);
    expect(fake.refunds).toHaveLength(0);
  });
});
