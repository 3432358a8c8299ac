import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Email } from '../../shared/schemas/common.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { Sale } from '../../shared/schemas/sale.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { enqueueReceiptResend } from '../mail/sale-codes-email.ts';
import { inTransaction } from '../db/transaction.ts';

/** Per terminal per minute: a cashier resends a receipt now and then, not a mailing list. */
export const RESEND_RATE_LIMIT = 10;

const ResendBody = z.strictObject({
  /** Where to send it; absent: the buyer's e-mail given at checkout. */
  email: Email.optional(),
});

type SaleRequest = FastifyRequest<{ Params: { saleId: string } }>;

/**
 * POST /api/v1/sales/:saleId/resend-receipt {email?}: the Sales screen's "Resend e-mail". The
 * receipt goes out through the outbox like the first one, under a fresh idempotency key.
 */
export async function receiptRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rateLimit = {
    max: RESEND_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.terminal?.id ?? request.ip,
  };
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));
      scope.post(
        '/:saleId/resend-receipt',
        { config: { rateLimit } },
        async (request: SaleRequest, reply) => {
          const terminal = requireTerminal(request);
          const body = parseOr400(ResendBody, request.body ?? {}, 'resend request');
          const row = await ctx.db
            .selectFrom('sales')
            .select(['store_id', 'body'])
            .where('id', '=', request.params.saleId)
            .executeTakeFirst();
          // Another store's sale answers like a missing one: its existence is not ours to tell.
          if (!row || row.store_id !== terminal.storeId) {
            throw new HttpError(
              404,
              'sale_not_synced',
              'This sale has not reached the server yet; it will be e-mailed when it syncs.',
            );
          }
          const to = body.email ?? Sale.parse(JSON.parse(row.body)).buyerEmail;
          if (to === undefined) {
            throw new HttpError(
              400,
              'email_required',
              'This sale has no e-mail address. Type the customer’s e-mail address to send the receipt.',
            );
          }
          await inTransaction(ctx.db, (trx) =>
            enqueueReceiptResend(trx, { saleId: request.params.saleId, to }, ctx),
          );
          request.log.info({ storeId: terminal.storeId }, 'receipt resend queued');
          return reply.code(202).send({ queued: true, to });
        },
      );
      done();
    },
    { prefix: `${API_PREFIX}/sales` },
  );
}
