import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CardRefundRequest,
  RefundCheckRequest,
  type CardRefundResponse,
  type FlaggedRefund,
  type RefundCheckResponse,
} from '../../shared/schemas/refund-api.ts';
import { formatMoney } from '../../shared/money.ts';
import { EntitlementState } from '../../shared/schemas/entitlement.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { Sale } from '../../shared/schemas/sale.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import type { DbOrTrx } from '../db/schema.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { spentGiftCards } from '../gift-cards/ledger.ts';
import { GatewayError } from '../payments/gateway.ts';
import { refundToCard } from './card-refund.ts';

type SaleRequest = FastifyRequest<{ Params: { saleId: string } }>;

/**
 * The counter's online side of a refund, under terminal auth and scoped to the terminal's store:
 * - POST /api/v1/sales/:saleId/refund-check {lineIds}: the state of each code of those lines; a
 *   consumed one blocks the refund;
 * - POST /api/v1/payments/refunds {refundId, saleId, paymentIntentId, amount}: card money back
 *   now, once per (refundId, paymentIntentId);
 * - GET /api/v1/refunds/flagged: refunds a manager must look at (until the dashboard, #5).
 */
export async function refundRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));
      scope.post('/sales/:saleId/refund-check', (request: SaleRequest) =>
        refundCheck(request, ctx),
      );
      scope.post('/payments/refunds', (request) => cardRefund(request, ctx));
      scope.get('/refunds/flagged', (request) => flagged(request, ctx));
      done();
    },
    { prefix: API_PREFIX },
  );
}

async function refundCheck(request: SaleRequest, ctx: AppContext): Promise<RefundCheckResponse> {
  const terminal = requireTerminal(request);
  const { lineIds } = parseOr400(RefundCheckRequest, request.body, 'refund check');
  const stored = await ctx.db
    .selectFrom('sales')
    .select(['store_id', 'body'])
    .where('id', '=', request.params.saleId)
    .executeTakeFirst();
  if (stored && stored.store_id !== terminal.storeId) {
    throw new HttpError(404, 'sale_not_found', 'There is no such sale in this store.');
  }
  // Not synced yet: nobody can have redeemed its codes online, so nothing blocks the refund.
  if (!stored) return { saleKnown: false, codes: [], usedCodes: [] };
  const sale = Sale.parse(JSON.parse(stored.body));
  const chosen = sale.lines.filter((line) => lineIds.includes(line.lineId));
  if (chosen.length !== new Set(lineIds).size) {
    throw new HttpError(
      400,
      'unknown_line',
      `Receipt ${sale.receiptNumber} does not have all of these lines. Open the sale again and choose its lines.`,
    );
  }
  const lineOf = new Map(chosen.flatMap((line) => line.codes.map((code) => [code, line.lineId])));
  const rows = await ctx.db
    .selectFrom('entitlements')
    .select(['code', 'state'])
    .where('code', 'in', [...lineOf.keys()])
    .orderBy('code')
    .execute();
  const spent = await spentGiftCards(ctx.db, [...lineOf.keys()]);
  const codes = rows.map((row) => ({
    code: row.code,
    lineId: lineOf.get(row.code) ?? '',
    state: EntitlementState.parse(row.state),
  }));
  return {
    saleKnown: true,
    codes,
    // A gift card that has paid for anything is used too: its face value is partly spent.
    usedCodes: codes
      .filter((code) => code.state === 'consumed' || spent.has(code.code))
      .map((code) => code.code),
  };
}

async function cardRefund(request: FastifyRequest, ctx: AppContext): Promise<CardRefundResponse> {
  const terminal = requireTerminal(request);
  const body = parseOr400(CardRefundRequest, request.body, 'card refund');
  if (!ctx.payments) {
    throw new HttpError(
      503,
      'card_unavailable',
      'Card payments are not set up on this server. Refund in cash, or take the refund offline so the server refunds the card later.',
    );
  }
  let outcome;
  try {
    outcome = await refundToCard(ctx.db, ctx.payments, { ...body, storeId: terminal.storeId }, ctx);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    request.log.warn({ code: error.code, saleId: body.saleId }, 'card refund refused');
    throw error.unreachable
      ? new HttpError(
          503,
          'card_unreachable',
          'The card processor cannot be reached. Take the refund offline: the server refunds the card when it can.',
        )
      : new HttpError(402, 'card_refund_refused', error.message);
  }
  switch (outcome.kind) {
    case 'refunded':
      request.log.info({ saleId: body.saleId }, 'card refunded');
      return { stripeRefundId: outcome.stripeRefundId, status: outcome.status };
    case 'unknown_intent':
      throw new HttpError(
        404,
        'payment_not_found',
        'This card payment is not known in this store. Refund to the card the sale was paid with.',
      );
    case 'other_sale':
      throw new HttpError(
        409,
        'other_sale',
        'This card payment belongs to another sale. Refund each sale to its own card payment.',
      );
    case 'too_much': {
      const intent = await ctx.db
        .selectFrom('payment_intents')
        .select('currency')
        .where('id', '=', body.paymentIntentId)
        .executeTakeFirst();
      const left = formatMoney(outcome.refundable, (intent?.currency ?? 'EUR').toUpperCase());
      throw new HttpError(
        409,
        'refund_too_large',
        `Only ${left} of this card payment is left to refund. Refund the rest in cash.`,
      );
    }
  }
}

async function flagged(request: FastifyRequest, ctx: AppContext): Promise<FlaggedRefund[]> {
  const terminal = requireTerminal(request);
  return flaggedRefundsOfStore(ctx.db, terminal.storeId);
}

/** A store's refunds a manager must look at, newest first: the counter's list and the dashboard's. */
export async function flaggedRefundsOfStore(
  db: DbOrTrx,
  storeId: string,
  limit = 200,
): Promise<FlaggedRefund[]> {
  const rows = await db
    .selectFrom('sale_refunds')
    .select(['id', 'sale_id', 'receipt_number', 'amount', 'flag', 'taken_offline', 'created_at'])
    .where('store_id', '=', storeId)
    .where('flag', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    saleId: row.sale_id,
    receiptNumber: row.receipt_number,
    amount: row.amount,
    flag: row.flag ?? '',
    takenOffline: row.taken_offline === 1,
    createdAt: row.created_at,
  }));
}
