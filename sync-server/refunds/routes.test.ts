import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { stateOf } from '../test-support/entitlements.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import {
  GIFT_25,
  enrolTerminal,
  errorOf,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../test-support/sales.ts';
import {
  fakeGateway,
  paidPartlyByCard,
  pushRefunds,
  refundOf,
  type FakeGateway,
} from './test-support.ts';

const TICKETS = {
  productId: 'prod-ticket',
  name: 'Concert ticket',
  kind: 'ticket' as const,
  unitPrice: 3000,
  quantity: 2,
};

let t: TestApp;
let gateway: FakeGateway;
let till: EnrolResponse;
let sale: Sale;
beforeEach(async () => {
  gateway = fakeGateway();
  t = await createTestApp({ payments: gateway });
  till = await enrolTerminal(t.app, await t.pairingCode());
  sale = await saleMaker(till)([TICKETS, GIFT_25]);
});
afterEach(async () => {
  await t.close();
});

const post = (url: string, payload: Record<string, unknown>, token = till.token) =>
  t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}${url}`,
    headers: syncHeaders(token),
    payload,
  });
const check = (lineIds: string[], token = till.token, saleId = sale.id) =>
  post(`/sales/${saleId}/refund-check`, { lineIds }, token);
async function pushSale(target: Sale): Promise<void> {
  expect((await pushSales(t.app, till.token, [target])).json()).toEqual({
    accepted: [target.id],
    rejected: [],
  });
}

describe('POST /sales/:saleId/refund-check', () => {
  it('refuses no token, a bad body, a line the sale does not have, and another store', async () => {
    await pushSale(sale);
    expect((await check([sale.lines[0]!.lineId], 'nope')).statusCode).toBe(401);
    expect((await post(`/sales/${sale.id}/refund-check`, { lines: [] })).statusCode).toBe(400);
    const unknown = await check(['line-x']);
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).message).toContain('does not have all of these lines');
    const other = await t.addStore('Elsewhere');
    const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Other till');
    const foreign = await check([sale.lines[0]!.lineId], stranger.token);
    expect(foreign.statusCode).toBe(404);
  });

  it('names the state of each code and the used ones that block the refund', async () => {
    await pushSale(sale);
    const [first, second] = sale.lines[0]!.codes;
    await t.db
      .updateTable('entitlements')
      .set({ state: 'consumed' })
      .where('code', '=', second!)
      .execute();
    const response = await check([sale.lines[0]!.lineId]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      saleKnown: true,
      codes: [first!, second!].sort().map((code) => ({
        code,
        lineId: sale.lines[0]!.lineId,
        state: code === second ? 'consumed' : 'known',
      })),
      usedCodes: [second],
    });
  });

  it('counts a gift card that has paid for something as used: its face value is partly spent', async () => {
    await pushSale(sale);
    const [card] = sale.lines[1]!.codes;
    // A spend as the gift-card API records it (this test store has no gift-card template).
    await t.db
      .insertInto('gift_card_ledger')
      .values({
        id: 'ledger-spend-1',
        code: card!,
        kind: 'spend',
        amount: 1000,
        currency: 'EUR',
        reference: 'order-1',
        actor: `terminal:${till.terminalId}`,
        idempotency_key: 'spend-1',
        balance_after: 1500,
        created_at: '2026-11-26T10:05:00.000Z',
      })
      .execute();
    const response = await check([sale.lines[1]!.lineId]);
    expect(response.json()).toMatchObject({ saleKnown: true, usedCodes: [card] });
  });

  it('says the sale is not known yet when it has not synced: nothing can block it', async () => {
    expect((await check([sale.lines[0]!.lineId])).json()).toEqual({
      saleKnown: false,
      codes: [],
      usedCodes: [],
    });
  });
});

describe('POST /payments/refunds', () => {
  let cardSale: Sale;
  const PI = 'pi_card_1';
  beforeEach(async () => {
    cardSale = await paidPartlyByCard(t.db, sale, till, 5000, PI);
    await pushSale(cardSale);
  });
  const refundCard = (body: Record<string, unknown>, token = till.token) =>
    post(
      '/payments/refunds',
      { refundId: 'refund-1', saleId: cardSale.id, paymentIntentId: PI, amount: 3000, ...body },
      token,
    );
  const intent = () =>
    t.db.selectFrom('payment_intents').selectAll().where('id', '=', PI).executeTakeFirstOrThrow();

  it('refuses no token, a bad body, another store, another sale and more than is left', async () => {
    expect((await refundCard({}, 'nope')).statusCode).toBe(401);
    expect((await refundCard({ amount: -1 })).statusCode).toBe(400);
    expect((await refundCard({ paymentIntentId: 'not-a-pi' })).statusCode).toBe(400);
    const other = await t.addStore('Elsewhere');
    const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Other till');
    expect(errorOf(await refundCard({}, stranger.token)).error).toBe('payment_not_found');
    expect(errorOf(await refundCard({ saleId: 'sale-other' })).error).toBe('other_sale');
    const tooMuch = await refundCard({ amount: 5001 });
    expect(tooMuch.statusCode).toBe(409);
    expect(errorOf(tooMuch).message).toBe(
      'Only €50.00 of this card payment is left to refund. Refund the rest in cash.',
    );
    expect(gateway.refunds).toEqual([]);
    expect((await intent()).amount_refunded).toBe(0);
  });

  it('refunds the card once per (refund, PaymentIntent), and counts it once', async () => {
    const first = await refundCard({});
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stripeRefundId: 're_0001', status: 'succeeded' });
    const again = await refundCard({});
    expect(again.json()).toEqual({ stripeRefundId: 're_0001', status: 'succeeded' });
    expect(gateway.refunds).toEqual([
      { paymentIntentId: PI, amount: 3000, idempotencyKey: `refund-1:${PI}` },
    ]);
    expect((await intent()).amount_refunded).toBe(3000);
    const tooMuch = await refundCard({ refundId: 'refund-2', amount: 2001 });
    expect(errorOf(tooMuch).message).toContain('Only €20.00');

    // The pushed refund names that Stripe refund; one naming any other is refused.
    const claimed = (stripeRefundId: string) =>
      refundOf(cardSale, [0], {
        id: 'refund-1',
        tenders: [
          { method: 'card', amount: 3000, paymentIntentId: PI, stripeRefundId },
          { method: 'cash', amount: 3000 },
        ],
      });
    const made = await pushRefunds(t.app, till.token, [claimed('re_0002')]);
    expect(made.json<{ rejected: { reason: string }[] }>().rejected[0]?.reason).toContain(
      'The card refund re_0002 on receipt',
    );
    expect((await pushRefunds(t.app, till.token, [claimed('re_0001')])).json()).toEqual({
      accepted: ['refund-1'],
      rejected: [],
    });
  });

  it('says plainly when the processor cannot be reached, and changes nothing', async () => {
    gateway.unreachable = true;
    const response = await refundCard({});
    expect(response.statusCode).toBe(503);
    expect(errorOf(response).message).toContain('Take the refund offline');
    expect((await intent()).amount_refunded).toBe(0);
  });

  it('a card refund taken offline is made by the outbox on arrival, retried until Stripe answers', async () => {
    const refund = refundOf(cardSale, [0], {
      takenOffline: true,
      tenders: [
        { method: 'card', amount: 5000, paymentIntentId: PI },
        { method: 'cash', amount: 1000 },
      ],
    });
    expect((await pushRefunds(t.app, till.token, [refund])).json()).toEqual({
      accepted: [refund.id],
      rejected: [],
    });
    expect(await Promise.all(sale.lines[0]!.codes.map((code) => stateOf(t.db, code)))).toEqual([
      'voided',
      'voided',
    ]);
    gateway.unreachable = true;
    expect(await t.outbox.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    gateway.unreachable = false;
    t.clock.advance(60_000);
    expect(await t.outbox.runOnce()).toMatchObject({ sent: 1 });
    expect(gateway.refunds).toEqual([
      { paymentIntentId: PI, amount: 5000, idempotencyKey: `${refund.id}:${PI}` },
    ]);
    expect((await intent()).amount_refunded).toBe(5000);
    // A tender over what the card paid, with the earlier refund counted, is refused by row.
    const more = refundOf(cardSale, [1], {
      tenders: [{ method: 'card', amount: 2500, paymentIntentId: PI }],
    });
    const body = (await pushRefunds(t.app, till.token, [more])).json<{
      rejected: { reason: string }[];
    }>();
    expect(body.rejected[0]?.reason).toContain('refunds to it cannot come to €75.00');
  });

  it('answers 503 with what to do when this server takes no cards', async () => {
    const cashOnly = await createTestApp();
    try {
      const cashTill = await enrolTerminal(cashOnly.app, await cashOnly.pairingCode());
      const response = await cashOnly.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/payments/refunds`,
        headers: syncHeaders(cashTill.token),
        payload: { refundId: 'r1', saleId: 's1', paymentIntentId: PI, amount: 1 },
      });
      expect(response.statusCode).toBe(503);
      expect(errorOf(response).message).toContain('Refund in cash');
    } finally {
      await cashOnly.close();
    }
  });
});
