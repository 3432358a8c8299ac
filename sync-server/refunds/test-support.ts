import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { Db } from '../db/schema.ts';
import { GatewayError, type PaymentGateway } from '../payments/gateway.ts';
import { pushFacts } from '../test-support/sales.ts';

/** A whole-line cash refund of `lineIndexes` of `sale`, as the counter writes it. */
export function refundOf(
  sale: Sale,
  lineIndexes: readonly number[],
  extra: Partial<SaleRefund> = {},
): SaleRefund {
  const lines = sale.lines.filter((_, index) => lineIndexes.includes(index));
  const amount = lines.reduce((sum, line) => sum + line.total, 0);
  return {
    id: randomUUID(),
    storeId: sale.storeId,
    terminalId: sale.terminalId,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    lineIds: lines.map((line) => line.lineId),
    amount,
    tenders: [{ method: 'cash', amount }],
    reason: 'Customer returned it',
    takenOffline: false,
    staffId: null,
    approvedBy: null,
    createdAt: '2026-11-26T10:05:00.000Z',
    ...extra,
  };
}

export function pushRefunds(app: FastifyInstance, token: string, documents: readonly unknown[]) {
  return pushFacts(app, token, 'refunds', documents);
}

/** Pays `cardAmount` of the sale by card (the rest stays cash) and records the PaymentIntent. */
export async function paidPartlyByCard(
  db: Db,
  sale: Sale,
  till: EnrolResponse,
  cardAmount: number,
  paymentIntentId = `pi_${randomUUID().replaceAll('-', '')}`,
): Promise<Sale> {
  const cash = sale.total - cardAmount;
  await db
    .insertInto('payment_intents')
    .values({
      id: paymentIntentId,
      store_id: till.storeId,
      terminal_id: till.terminalId,
      sale_id: sale.id,
      amount: cardAmount,
      amount_captured: cardAmount,
      amount_refunded: 0,
      currency: 'eur',
      status: 'succeeded',
      created_at: '2026-11-26T10:00:00.000Z',
      updated_at: '2026-11-26T10:00:00.000Z',
    })
    .execute();
  return {
    ...sale,
    payments: [
      { method: 'card', amount: cardAmount, paymentIntentId, brand: 'visa', last4: '4242' },
      ...(cash > 0
        ? [{ method: 'cash' as const, amount: cash, rounding: 0, tendered: cash, change: 0 }]
        : []),
    ],
  };
}

export type FakeGateway = PaymentGateway & {
  readonly refunds: { paymentIntentId: string; amount: number; idempotencyKey: string }[];
  /** Set to make the next refunds fail as Stripe would when unreachable. */
  unreachable: boolean;
};

/**
 * Only `refund` is exercised here; it honours idempotency keys as Stripe does (same key, same
 * refund). The card payment flows have their own fake Stripe API (payments/, test/fake-stripe).
 */
export function fakeGateway(): FakeGateway {
  const byKey = new Map<string, string>();
  const notHere = () => Promise.reject(new Error('Not used by refund tests.'));
  const gateway: FakeGateway = {
    refunds: [],
    unreachable: false,
    testMode: true,
    connectionToken: notHere,
    createIntent: notHere,
    retrieveIntent: notHere,
    captureIntent: notHere,
    cancelIntent: notHere,
    refund: (input) => {
      if (gateway.unreachable) {
        return Promise.reject(new GatewayError('Stripe cannot be reached.', 'network', true));
      }
      gateway.refunds.push({ ...input });
      const id = byKey.get(input.idempotencyKey) ?? `re_${String(byKey.size + 1).padStart(4, '0')}`;
      byKey.set(input.idempotencyKey, id);
      return Promise.resolve({ refundId: id, status: 'succeeded' });
    },
  };
  return gateway;
}
