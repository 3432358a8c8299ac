import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { completeCashSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import { ServerRefusal, ServerUnreachable, type ApiClient } from '../sync/api-client.ts';
import { pendingCount$ } from './queries.ts';
import { voidSale } from './void-sale.ts';
import {
  RefundProblem,
  describeRefundResult,
  planRefund,
  refundIdOf,
  refundSale,
} from './refund-sale.ts';

const now = () => new Date('2026-11-27T10:00:00.000Z');
let ids = 0;
const newId = () => `refund-${String(++ids)}`;

type Call = { path: string; body: unknown };
/** The server's two refund endpoints, answering as told; records what the counter asked. */
function fakeApi(answers: {
  check?: () => unknown;
  card?: (body: { amount: number; paymentIntentId: string }) => unknown;
}): ApiClient & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    serverUrl: 'http://server.test',
    calls,
    request<T>(path: string, init: { body?: unknown } = {}): Promise<T> {
      calls.push({ path, body: init.body });
      try {
        const answer = path.endsWith('/refund-check')
          ? (answers.check ?? (() => ({ saleKnown: true, codes: [], usedCodes: [] })))()
          : answers.card?.(init.body as { amount: number; paymentIntentId: string });
        return Promise.resolve(answer as T);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    open: () => Promise.reject(new Error('not used')),
  };
}
const unreachable = () => {
  throw new ServerUnreachable(new Error('ECONNREFUSED'));
};

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('spa', 4000), testProduct('card', 2500)]);
});
afterEach(async () => {
  await db.close();
});

async function sellTwoLines(): Promise<Sale> {
  const cart = createCartCommands(db);
  await cart.add('spa');
  await cart.add('card');
  return completeCashSale(db, testCredentials, { tendered: 7000 });
}

/** The same sale paid €50 by card (Visa 4242) and the rest in cash. */
async function cardSale(base: Sale): Promise<Sale> {
  const sale: Sale = {
    ...base,
    id: `${base.id.slice(0, -4)}card`,
    receiptNumber: base.receiptNumber.replace(/\d$/, '9'),
    lines: base.lines.map((line) => ({
      ...line,
      lineId: `${line.lineId}-c`,
      codes: line.codes.map((code) => `${code.slice(0, -1)}X`),
    })),
    payments: [
      { method: 'card', amount: 5000, paymentIntentId: 'pi_visa', brand: 'visa', last4: '4242' },
      { method: 'cash', amount: 1500, rounding: 0, tendered: 1500, change: 0 },
    ],
  };
  await db.sales.insert(sale);
  return sale;
}

describe('refunding a sale: refusals', () => {
  it('refuses an unknown sale, no lines, a missing reason, and writes nothing', async () => {
    const sale = await sellTwoLines();
    const api = fakeApi({});
    await expect(
      refundSale(
        db,
        testCredentials,
        { saleId: 'elsewhere', lineIds: ['x'], reason: 'r' },
        { api },
      ),
    ).rejects.toThrow(/not on this terminal/);
    await expect(
      refundSale(db, testCredentials, { saleId: sale.id, lineIds: [], reason: 'r' }, { api }),
    ).rejects.toThrow(/Tick the lines/);
    await expect(
      refundSale(
        db,
        testCredentials,
        { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: '  ' },
        { api },
      ),
    ).rejects.toThrow(/Say why/);
    expect(api.calls).toEqual([]);
    expect(await db.refunds.count().exec()).toBe(0);
  });

  it('refuses a line refunded before, and a voided sale', async () => {
    const sale = await sellTwoLines();
    const api = fakeApi({});
    const first = { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: 'Returned' };
    await refundSale(db, testCredentials, first, { api, newId, now });
    await expect(refundSale(db, testCredentials, first, { api, newId, now })).rejects.toThrow(
      `Product spa on receipt ${sale.receiptNumber} was already refunded.`,
    );
    // A partly refunded sale is finished with refunds, never voided (shared/sale/void-rule.ts).
    await expect(
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'Mistake' }),
    ).rejects.toThrow(/partly refunded/);
    const voided = await sellTwoLines();
    await voidSale(db, testCredentials, { saleId: voided.id, reason: 'Mistake' });
    await expect(
      planRefund(db, { saleId: voided.id, lineIds: [voided.lines[1]!.lineId] }),
    ).rejects.toThrow(/was voided/);
    expect(await db.refunds.count().exec()).toBe(1);
  });

  it('online, a used code blocks the refund with a message naming the code', async () => {
    const sale = await sellTwoLines();
    const used = sale.lines[0]!.codes[0]!;
    const api = fakeApi({ check: () => ({ saleKnown: true, codes: [], usedCodes: [used] }) });
    const refusal = refundSale(
      db,
      testCredentials,
      { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: 'Returned' },
      { api, newId, now },
    );
    await expect(refusal).rejects.toBeInstanceOf(RefundProblem);
    await expect(refusal).rejects.toThrow(`Code ${formatCode(used)} was already used`);
    expect(await db.refunds.count().exec()).toBe(0);
  });

  it('a refusal of the card refund writes nothing', async () => {
    const sale = await cardSale(await sellTwoLines());
    const api = fakeApi({
      card: () => {
        throw new ServerRefusal(402, 'card_refund_refused', 'The charge was disputed.');
      },
    });
    await expect(
      refundSale(
        db,
        testCredentials,
        { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: 'Returned' },
        { api, newId, now },
      ),
    ).rejects.toThrow('The server refused the refund: The charge was disputed.');
    expect(await db.refunds.count().exec()).toBe(0);
  });
});

describe('refunding a sale', () => {
  it('a double tap refunds once: one document, one card refund key', async () => {
    const sale = await cardSale(await sellTwoLines());
    const api = fakeApi({ card: () => ({ stripeRefundId: 're_123', status: 'succeeded' }) });
    const request = { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: 'Returned' };
    const outcomes = await Promise.allSettled([
      refundSale(db, testCredentials, request, { api, now }),
      refundSale(db, testCredentials, request, { api, now }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await db.refunds.count().exec()).toBe(1);
    const keys = api.calls
      .filter((call) => call.path === '/payments/refunds')
      .map((call) => (call.body as { refundId: string }).refundId);
    expect(new Set(keys)).toEqual(new Set([refundIdOf(sale.id, request.lineIds)]));
    expect(refundIdOf(sale.id, ['b', 'a'])).toBe(refundIdOf(sale.id, ['a', 'b']));
    expect(refundIdOf(sale.id, ['a'])).not.toBe(refundIdOf(sale.id, ['a', 'b']));
    expect(refundIdOf(sale.id, ['a']).length).toBeLessThanOrEqual(64);
  });

  it('online, cash: one SaleRefund of the line totals, cash from the drawer', async () => {
    const sale = await sellTwoLines();
    const api = fakeApi({});
    const result = await refundSale(
      db,
      testCredentials,
      { saleId: sale.id, lineIds: [sale.lines[1]!.lineId], reason: ' Wrong size ' },
      { api, newId, now },
    );
    expect(api.calls).toEqual([
      { path: `/sales/${sale.id}/refund-check`, body: { lineIds: [sale.lines[1]!.lineId] } },
    ]);
    expect(result.refund).toEqual({
      id: 'refund-' + String(ids),
      storeId: testCredentials.storeId,
      terminalId: testCredentials.terminalId,
      saleId: sale.id,
      receiptNumber: sale.receiptNumber,
      lineIds: [sale.lines[1]!.lineId],
      amount: 2500,
      tenders: [{ method: 'cash', amount: 2500 }],
      reason: 'Wrong size',
      takenOffline: false,
      staffId: null,
      approvedBy: null,
      createdAt: '2026-11-27T10:00:00.000Z',
    });
    expect((await db.refunds.findOne(result.refund.id).exec())?.toMutableJSON()).toEqual(
      result.refund,
    );
    expect(describeRefundResult(result, 'EUR')).toBe(
      'Refund of €25.00 recorded. Give €25.00 cash from the drawer.',
    );
    // Waiting to sync: the sale and now the refund, until the server acknowledges them.
    expect(await firstValueFrom(pendingCount$(db))).toBe(2);
    await db.sync_acks.insert({ id: sale.id, outcome: 'accepted', at: now().toISOString() });
    expect(await firstValueFrom(pendingCount$(db))).toBe(1);
  });

  it('online, card: card first with the Stripe refund id, cash for the rest', async () => {
    const sale = await cardSale(await sellTwoLines());
    const api = fakeApi({ card: () => ({ stripeRefundId: 're_123', status: 'succeeded' }) });
    const whole = await refundSale(
      db,
      testCredentials,
      { saleId: sale.id, lineIds: sale.lines.map((line) => line.lineId), reason: 'All back' },
      { api, newId, now },
    );
    expect(whole.refund.tenders).toEqual([
      { method: 'card', amount: 5000, paymentIntentId: 'pi_visa', stripeRefundId: 're_123' },
      { method: 'cash', amount: 1500 },
    ]);
    expect(api.calls[1]).toEqual({
      path: '/payments/refunds',
      body: {
        refundId: whole.refund.id,
        saleId: sale.id,
        paymentIntentId: 'pi_visa',
        amount: 5000,
      },
    });
    expect(whole.cashFromDrawer).toBe(1500);
    expect(whole.cardLater).toBe(0);
  });

  it('offline: recorded as taken offline, card left for the server, and said plainly', async () => {
    const sale = await cardSale(await sellTwoLines());
    const api = fakeApi({ check: unreachable, card: unreachable });
    const result = await refundSale(
      db,
      testCredentials,
      { saleId: sale.id, lineIds: [sale.lines[0]!.lineId], reason: 'Returned' },
      { api, newId, now },
    );
    expect(result.takenOffline).toBe(true);
    expect(result.refund.tenders).toEqual([
      { method: 'card', amount: 4000, paymentIntentId: 'pi_visa' },
    ]);
    expect(api.calls).toHaveLength(1);
    expect(describeRefundResult(result, 'EUR')).toBe(
      'Refund of €40.00 recorded. €40.00 goes back to the card when the server is reachable; the customer sees it in a few days. Taken offline: the codes stop working when this terminal syncs.',
    );
    // The rest of the card is what is left of it: €10.00 to the card, €15.00 cash.
    const rest = await planRefund(db, { saleId: sale.id, lineIds: [sale.lines[1]!.lineId] });
    expect(rest.tenders).toEqual([
      { method: 'card', amount: 1000, paymentIntentId: 'pi_visa' },
      { method: 'cash', amount: 1500 },
    ]);
  });
});
