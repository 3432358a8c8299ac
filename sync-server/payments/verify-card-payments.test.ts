import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe/fake-stripe.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { createStripeGateway } from './stripe-gateway.ts';
import { cardClient } from './test-card-client.ts';

let fake: FakeStripe;
let t: TestApp;
let till: EnrolResponse;
let card: ReturnType<typeof cardClient>;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  fake = await startFakeStripe();
  const { gateway } = createStripeGateway({ secretKey: 'sk_test_verify', apiBase: fake.url });
  t = await createTestApp({ demo: true, payments: gateway });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  card = cardClient(t, till.token);
  makeSale = saleMaker(till);
});
afterEach(async () => {
  await t.close();
  await fake.close();
});

/** The sale paid by `card` for `cardAmount` and cash for the rest. */
function paidBy(sale: Sale, paymentIntentId: string, cardAmount = sale.total): Sale {
  const rest = sale.total - cardAmount;
  return {
    ...sale,
    payments: [
      { method: 'card', amount: cardAmount, paymentIntentId, brand: 'visa', last4: '4242' },
      ...(rest > 0
        ? [{ method: 'cash' as const, amount: rest, rounding: 0, tendered: rest, change: 0 }]
        : []),
    ],
  };
}

async function rejectionOf(sale: Sale): Promise<string | undefined> {
  const response = await pushSales(t.app, till.token, [sale]);
  const body = response.json<{ accepted: string[]; rejected: { reason: string }[] }>();
  return body.rejected[0]?.reason;
}

describe('a pushed sale with card payments: refusals', () => {
  it('rejects a card payment whose PaymentIntent this server never created', async () => {
    const sale = await makeSale();
    expect(await rejectionOf(paidBy(sale, 'pi_madeup'))).toMatch(
      /was not taken through this server for this sale/,
    );
    const row = await t.db.selectFrom('sales').select('id').executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('rejects a card payment taken for another sale', async () => {
    const sale = await makeSale();
    const paid = await card.paid('another-sale', sale.total);
    expect(await rejectionOf(paidBy(sale, paid))).toMatch(
      /not taken through this server for this sale/,
    );
  });

  it('rejects a card payment that was never captured', async () => {
    const sale = await makeSale();
    const created = await card.createIntent({ saleId: sale.id, amount: sale.total, attempt: 1 });
    const { id } = created.json<{ id: string }>();
    expect(await rejectionOf(paidBy(sale, id))).toMatch(/never captured/);
  });

  it('rejects a card amount that differs from what was captured (partial approval)', async () => {
    const sale = await makeSale();
    const paid = await card.paid(sale.id, sale.total, 1, 'partial_approval');
    expect(await rejectionOf(paidBy(sale, paid))).toMatch(/€12\.50 was captured/);
  });

  it('rejects a card payment that was voided before the sale closed', async () => {
    const sale = await makeSale();
    const paid = await card.paid(sale.id, sale.total);
    await card.cancel(paid);
    expect(await rejectionOf(paidBy(sale, paid))).toMatch(/refunded before the sale closed/);
  });
});

describe('a pushed sale with card payments', () => {
  it('accepts part card (partial approval) and part cash, as captured', async () => {
    const sale = await makeSale();
    const paid = await card.paid(sale.id, sale.total, 1, 'partial_approval');
    const split = paidBy(sale, paid, 1250);
    const response = await pushSales(t.app, till.token, [split]);
    expect(response.json()).toEqual({ accepted: [sale.id], rejected: [] });
    expect(await rejectionOf(split)).toBeUndefined();
  });
});
