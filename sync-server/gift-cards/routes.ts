import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { findGiftCard, spendGiftCard, type GiftCard } from './ledger.ts';

/** Per terminal per minute: a busy till spends a few cards a minute, a script trying codes more. */
export const GIFT_CARD_RATE_LIMIT = 120;

const SpendBody = z.strictObject({
  amount: z
    .number('The amount is a number of minor units (cents).')
    .int('The amount is a whole number of minor units (cents), e.g. 1250 for €12.50.')
    .min(1, 'The amount to spend is above zero.')
    .max(Number.MAX_SAFE_INTEGER),
  reference: z.string().trim().min(1).max(200).nullable().default(null),
  idempotencyKey: z
    .string('Send an idempotencyKey so a retried spend is not spent twice.')
    .min(1)
    .max(100),
});

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;

const notFound = (): HttpError =>
  new HttpError(
    404,
    'gift_card_not_found',
    'There is no gift card with this code on this server. Check the code; a card sold offline counts once its sale has synced.',
  );

/** The card of a code in the terminal's store, or the refusal (400, 403, 404). */
function ownCard(card: GiftCard | undefined, storeId: string): GiftCard {
  if (!card) throw notFound();
  if (card.storeId !== storeId) throw wrongStore();
  return card;
}

const wrongStore = (): HttpError =>
  new HttpError(
    403,
    'wrong_store',
    'This gift card belongs to another store; it cannot be used here.',
  );

function codeOf(request: CodeRequest): string {
  const parsed = parseCode(request.params.code);
  if (!parsed.ok) throw new HttpError(400, 'bad_request', parsed.message);
  return parsed.value.code;
}

/** /api/v1/gift-cards: the same terminal auth and protocol header as /api/v1/sync. */
export async function giftCardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rateLimit = {
    max: GIFT_CARD_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.terminal?.id ?? request.ip,
  };
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));

      scope.get('/:code', { config: { rateLimit } }, async (request: CodeRequest) => {
        const terminal = requireTerminal(request);
        const card = ownCard(await findGiftCard(ctx.db, codeOf(request)), terminal.storeId);
        return {
          code: card.code,
          currency: card.currency,
          balance: card.balance,
          entries: card.entries,
        };
      });

      scope.post('/:code/spend', { config: { rateLimit } }, async (request: CodeRequest) => {
        const terminal = requireTerminal(request);
        const code = codeOf(request);
        const body = parseOr400(SpendBody, request.body, 'spend');
        const outcome = await spendGiftCard(
          ctx.db,
          { code, storeId: terminal.storeId, actor: `terminal:${terminal.id}`, ...body },
          ctx,
        );
        switch (outcome.kind) {
          case 'spent':
            if (!outcome.replayed) request.log.info({ storeId: terminal.storeId }, 'card spent');
            return { balance: outcome.balance };
          case 'insufficient':
            throw new HttpError(409, 'insufficient_balance', outcome.message);
          case 'unusable':
            throw new HttpError(
              409,
              'gift_card_unusable',
              outcome.state === 'expired'
                ? 'This gift card has expired: its validity ended, so it cannot be spent. Take the payment another way.'
                : `This gift card was ${outcome.state} by the shop and cannot be spent. Take the payment another way.`,
            );
          case 'key_reused':
            throw new HttpError(
              409,
              'idempotency_key_reused',
              'This idempotencyKey was used for a different spend on this card. Use a new key for a new spend.',
            );
          case 'not_found':
            throw notFound();
          case 'wrong_store':
            throw wrongStore();
        }
      });
      done();
    },
    { prefix: `${API_PREFIX}/gift-cards` },
  );
}
