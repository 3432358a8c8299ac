/**
 * /api/v1/payments: card payments for the counter (terminal auth, scoped to the terminal's
 * store). The terminal never talks to Stripe with a secret: it gets a connection token for its
 * reader, and the server creates, captures and cancels the PaymentIntents, recording each in
 * payment_intents so only the terminal that created one can move it, and so a pushed sale's
 * card payments can be checked (verify-card-payments.ts).
 *
 *   GET  /status                      {card: ready|not_configured|unreachable, reason, simulated}
 *   POST /connection-token            {secret}
 *   POST /intents                     {saleId, amount, attempt} → {id, clientSecret, amount, status}
 *   POST /intents/:id/capture         → {id, status, amount, amountReceived, card, partial}
 *   POST /intents/:id/cancel          → {id, status: canceled|refunded, refundId?}
 *   POST /intents/:id/simulate        {testPaymentMethod} (fake Stripe only) → approved or declined
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DocumentId } from '../../shared/schemas/common.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import { isoNow, type AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { simulatorOf } from './card-simulator.ts';
import { cardStatusProbe, NOT_CONFIGURED } from './card-status.ts';
import { GatewayError, type GatewayIntent, type PaymentGateway } from './gateway.ts';
import { findIntentRow, recordIntent, updateIntentRow, type IntentRow } from './intent-rows.ts';

/** Per terminal per minute: a card payment takes a handful of calls; a loop takes many more. */
export const PAYMENTS_RATE_LIMIT = 60;
/** Stripe's own upper bound for a card_present amount is far below this; it stops nonsense. */
const MAX_CARD_AMOUNT = 99_999_999;

const IntentBody = z.strictObject({
  saleId: DocumentId,
  amount: z
    .number('The amount is a number of minor units (cents).')
    .int('The amount is a whole number of minor units (cents), e.g. 1250 for €12.50.')
    .min(1, 'The card amount is above zero.')
    .max(MAX_CARD_AMOUNT, 'The card amount is too large.'),
  /** 1 for the sale's first card attempt, 2 after a decline…: one PaymentIntent per attempt. */
  attempt: z.number().int().min(1).max(50),
});

const SimulateBody = z.strictObject({
  testPaymentMethod: z
    .string()
    .regex(/^[a-z0-9_]{1,60}$/)
    .default('visa'),
});

type IntentRequest = FastifyRequest<{ Params: { id: string } }>;

const unavailable = (): HttpError => new HttpError(503, 'card_unavailable', NOT_CONFIGURED);

/** A refusal from Stripe as the counter should see it. */
function httpErrorOf(error: unknown): unknown {
  if (!(error instanceof GatewayError)) return error;
  if (error.unreachable) return new HttpError(503, 'card_unreachable', error.message);
  if (
    error.code === 'idempotency_error' ||
    error.code === 'payment_intent_unexpected_state' ||
    error.code === 'charge_already_refunded'
  ) {
    return new HttpError(409, error.code, error.message);
  }
  if (error.code === 'rate_limit') return new HttpError(429, 'rate_limited', error.message);
  if (error.code === 'resource_missing')
    return new HttpError(404, 'intent_not_found', error.message);
  return new HttpError(502, 'card_processor_error', error.message);
}

async function viaGateway<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw httpErrorOf(error);
  }
}

function captureReply(intent: GatewayIntent) {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    amountReceived: intent.amountReceived,
    card: intent.card ?? { brand: null, last4: null },
    partial: intent.status === 'succeeded' && intent.amountReceived < intent.amount,
  };
}

export async function paymentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const status = cardStatusProbe(ctx.payments, simulatorOf(ctx.payments) !== null, ctx.clock);
  const rateLimit = {
    max: PAYMENTS_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.terminal?.id ?? request.ip,
  };
  const gateway = (): PaymentGateway => {
    if (!ctx.payments) throw unavailable();
    return ctx.payments;
  };

  /** The intent's row, if this terminal created it; 404 for unknown or another store's. */
  async function ownIntent(request: IntentRequest): Promise<IntentRow> {
    const terminal = requireTerminal(request);
    const row = /^pi_\w{1,200}$/.test(request.params.id)
      ? await findIntentRow(ctx.db, request.params.id)
      : undefined;
    if (!row || row.storeId !== terminal.storeId) {
      throw new HttpError(
        404,
        'intent_not_found',
        'This server did not create that card payment for this store. Start the card payment again.',
      );
    }
    if (row.terminalId !== terminal.id) {
      throw new HttpError(
        403,
        'other_terminal',
        'Another till started this card payment; only that till can finish or cancel it.',
      );
    }
    return row;
  }

  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));

      scope.get('/status', { config: { rateLimit: { ...rateLimit, max: 240 } } }, async () =>
        status(),
      );

      scope.post('/connection-token', { config: { rateLimit } }, async () => {
        const payments = gateway();
        return viaGateway(() => payments.connectionToken());
      });

      scope.post('/intents', { config: { rateLimit } }, async (request) => {
        const payments = gateway();
        const terminal = requireTerminal(request);
        const body = parseOr400(IntentBody, request.body, 'card payment');
        const closed = await ctx.db
          .selectFrom('sales')
          .select('id')
          .where('id', '=', body.saleId)
          .executeTakeFirst();
        if (closed) {
          throw new HttpError(
            409,
            'sale_closed',
            'This sale is already complete on the server; a new card payment needs a new sale.',
          );
        }
        const intent = await viaGateway(() =>
          payments.createIntent({
            amount: body.amount,
            currency: terminal.currency,
            saleId: body.saleId,
            storeId: terminal.storeId,
            terminalId: terminal.id,
            idempotencyKey: `sale:${body.saleId}:card:${body.attempt}`,
          }),
        );
        const existing = await findIntentRow(ctx.db, intent.id);
        if (existing && existing.terminalId !== terminal.id) {
          throw new HttpError(
            403,
            'other_terminal',
            'Another till started this card payment; only that till can finish or cancel it.',
          );
        }
        await recordIntent(
          ctx.db,
          intent,
          { storeId: terminal.storeId, terminalId: terminal.id, saleId: body.saleId },
          isoNow(ctx.clock),
        );
        request.log.info({ intent: intent.id, amount: intent.amount }, 'card intent created');
        return {
          id: intent.id,
          clientSecret: intent.clientSecret,
          amount: intent.amount,
          status: intent.status,
        };
      });

      scope.post(
        '/intents/:id/capture',
        { config: { rateLimit } },
        async (request: IntentRequest) => {
          const payments = gateway();
          const row = await ownIntent(request);
          // Already captured (a retry after a lost answer): report it without asking Stripe again.
          const current = await viaGateway(() => payments.retrieveIntent(row.id));
          const intent =
            current.status === 'succeeded'
              ? current
              : await viaGateway(() => payments.captureIntent(row.id, `capture:${row.id}`));
          await updateIntentRow(ctx.db, intent, isoNow(ctx.clock));
          return captureReply(intent);
        },
      );

      scope.post(
        '/intents/:id/cancel',
        { config: { rateLimit } },
        async (request: IntentRequest) => {
          const payments = gateway();
          const row = await ownIntent(request);
          const closed = await ctx.db
            .selectFrom('sales')
            .select('receipt_number')
            .where('id', '=', row.saleId)
            .executeTakeFirst();
          if (closed) {
            throw new HttpError(
              409,
              'sale_closed',
              `Sale ${closed.receipt_number} is already complete: refund it from the order history instead.`,
            );
          }
          const now = isoNow(ctx.clock);
          const current = await viaGateway(() => payments.retrieveIntent(row.id));
          if (current.status === 'canceled') {
            await updateIntentRow(ctx.db, current, now);
            return { id: row.id, status: 'canceled' };
          }
          if (current.status !== 'succeeded') {
            const canceled = await viaGateway(() =>
              payments.cancelIntent(row.id, `cancel:${row.id}`),
            );
            await updateIntentRow(ctx.db, canceled, now);
            return { id: row.id, status: 'canceled' };
          }
          // Captured but the sale is not closed: the money goes back ("void before close").
          const left = current.amountReceived - row.amountRefunded;
          if (left <= 0) return { id: row.id, status: 'refunded' };
          const refund = await viaGateway(() =>
            payments.refund({
              paymentIntentId: row.id,
              amount: left,
              idempotencyKey: `void:${row.id}`,
            }),
          );
          await updateIntentRow(ctx.db, current, now, row.amountRefunded + left);
          request.log.info({ intent: row.id, amount: left }, 'card payment voided before close');
          return { id: row.id, status: 'refunded', refundId: refund.refundId };
        },
      );

      scope.post(
        '/intents/:id/simulate',
        { config: { rateLimit } },
        async (request: IntentRequest) => {
          const simulator = simulatorOf(ctx.payments);
          if (!simulator) {
            throw new HttpError(
              404,
              'not_simulated',
              'This server charges real cards: there is no simulated reader here.',
            );
          }
          const row = await ownIntent(request);
          const body = parseOr400(SimulateBody, request.body ?? {}, 'simulated card');
          const outcome = await viaGateway(() => simulator.present(row.id, body.testPaymentMethod));
          if (!outcome.ok) {
            return {
              approved: false,
              code: outcome.code,
              declineCode: outcome.declineCode,
              message: outcome.message,
            };
          }
          await updateIntentRow(ctx.db, outcome.intent, isoNow(ctx.clock));
          return {
            approved: true,
            status: outcome.intent.status,
            amountCapturable: outcome.intent.amountCapturable,
          };
        },
      );
      done();
    },
    { prefix: `${API_PREFIX}/payments` },
  );
}
