import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseCode } from '../../shared/code/entitlement-code.ts';
import { ENTITLEMENT_STATE_LABELS, EntitlementState } from '../../shared/schemas/entitlement.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { formatDateTime } from './html.ts';
import { consumeAtCounter } from './staff-consume.ts';
import { tellStatusOwner } from '../sync/change-notifier.ts';

/** Per terminal per minute, as for gift cards. */
export const STAFF_CONSUME_RATE_LIMIT = 120;

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;

/**
 * POST /api/v1/entitlements/:code/consume: a till marks an active voucher or ticket used.
 * Terminal auth and the protocol header as for sync; scoped to the terminal's store.
 * 200 `{ code, state: 'consumed', consumedAt }`; a second call answers 409 `already_used`
 * saying when.
 */
export async function staffConsumeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rateLimit = {
    max: STAFF_CONSUME_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.terminal?.id ?? request.ip,
  };
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));
      scope.post('/:code/consume', { config: { rateLimit } }, async (request: CodeRequest) => {
        const terminal = requireTerminal(request);
        const parsed = parseCode(request.params.code);
        if (!parsed.ok) throw new HttpError(400, 'bad_request', parsed.message);
        const code = parsed.value.code;
        const outcome = await consumeAtCounter(
          ctx.db,
          { code, storeId: terminal.storeId, terminalId: terminal.id },
          ctx,
        );
        switch (outcome.kind) {
          case 'consumed':
            // The till that sold the code pulls its status; the one asking has its answer.
            tellStatusOwner(ctx.notifier, outcome.owner);
            request.log.info({ storeId: outcome.owner.storeId }, 'code used at the counter');
            return { code, state: 'consumed', consumedAt: outcome.consumedAt };
          case 'already_used':
            throw new HttpError(
              409,
              'already_used',
              `This code was already used${outcome.consumedAt === null ? '' : ` on ${formatDateTime(outcome.consumedAt)}`}. Do not accept it again.`,
            );
          case 'not_found':
            throw new HttpError(
              404,
              'entitlement_not_found',
              'There is no such code in this store. Check the code; a code sold offline counts once its sale has synced.',
            );
          case 'gift_card':
            throw new HttpError(
              409,
              'gift_card',
              'This is a gift card: take a payment from it instead (gift-cards/<code>/spend).',
            );
          case 'expired':
            throw new HttpError(409, 'expired', 'This code has expired and cannot be used.');
          case 'voided':
            throw new HttpError(409, 'voided', 'This code was voided and cannot be used.');
          case 'not_active': {
            const state = EntitlementState.safeParse(outcome.state);
            const label = state.success ? ENTITLEMENT_STATE_LABELS[state.data] : outcome.state;
            throw new HttpError(
              409,
              'not_active',
              `This code is not active yet (${label}): the customer must claim it and register who it is for on the code's page first.`,
            );
          }
        }
      });
      done();
    },
    { prefix: `${API_PREFIX}/entitlements` },
  );
}
