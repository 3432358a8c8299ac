import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EMAIL_MESSAGE, EmailAddress } from '../accounts/accounts.ts';
import type { AppContext } from '../deps.ts';
import { accountItems } from '../customers/account-items.ts';
import {
  bulkGiveAction,
  giveAction,
  transferAction,
  type FormError,
} from '../customers/give-forms.ts';
import { accountPage } from '../customers/pages.ts';
import { provisionalItems } from '../customers/provisional-items.ts';
import { currentSession, type Session } from '../customers/sessions.ts';
import { csrfOk } from '../redeem/csrf.ts';
import { formField, page, refuseForgedForm } from '../redeem/portal-scope.ts';
import { giveCode } from './give-code.ts';
import { freeCodesOfSale, GiveConflict, giveInBulk } from './give-in-bulk.ts';
import { notYoursPage } from './pages.ts';
import { parseRecipientLines } from './recipient-lines.ts';
import { transferCode } from './transfer-code.ts';
import { inTransaction } from '../db/transaction.ts';

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;
type SaleRequest = FastifyRequest<{ Params: { saleId: string } }>;

const OWN_ADDRESS_MESSAGE =
  'That is your own address. Type the e-mail of the person who should have the code.';
const CHANGED_MESSAGE =
  'Some of these codes changed meanwhile, so nothing was given. Check the list and try again.';

/** The account page again, with the refused form's error and what was typed in it. */
async function refusedForm(
  ctx: AppContext,
  reply: FastifyReply,
  session: Session,
  status: number,
  error: FormError,
): Promise<FastifyReply> {
  const items = await accountItems(ctx.db, session.accountId);
  const provisional = await provisionalItems(ctx.db, session.accountId);
  const csrf = session.csrfToken;
  return page(
    reply,
    status,
    accountPage({ email: session.email, items, provisional, csrf, error }),
  );
}

/**
 * Giving and transferring codes from the account page (buy now, assign later; bulk giving).
 * Register inside the customers' portal scope (customers/routes.ts): plain forms, 303 after POST.
 */
export function assignRoutes(scope: FastifyInstance, ctx: AppContext): void {
  const rateLimit = { max: ctx.rateLimits.portal, timeWindow: 60_000 };

  /** The signed-in session of a form that may change something, or the answer already sent. */
  const formSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Session | FastifyReply> => {
    const session = await currentSession(ctx, request);
    if (!session) return reply.redirect('/signin', 303);
    if (!csrfOk(request, session.csrfToken)) return refuseForgedForm(reply);
    return session;
  };
  const isSession = (value: Session | FastifyReply): value is Session => 'accountId' in value;

  scope.post(
    '/account/codes/:code/give',
    { config: { rateLimit } },
    async (request: CodeRequest, reply) => {
      const session = await formSession(request, reply);
      if (!isSession(session)) return session;
      const { code } = request.params;
      const typed = formField(request.body, 'email');
      const action = giveAction(code);
      const email = EmailAddress.safeParse(typed);
      if (!email.success) {
        return refusedForm(ctx, reply, session, 400, {
          action,
          value: typed,
          message: EMAIL_MESSAGE,
        });
      }
      const outcome = await inTransaction(ctx.db, (trx) =>
        giveCode(trx, { code, accountId: session.accountId, email: email.data }, ctx),
      );
      if (outcome.kind === 'not-found') return page(reply, 404, notYoursPage());
      if (outcome.kind === 'unavailable') {
        return refusedForm(ctx, reply, session, 409, {
          action,
          value: typed,
          message: outcome.message,
        });
      }
      request.log.info({ accountId: session.accountId }, 'code given');
      return reply.redirect('/account', 303);
    },
  );

  scope.post(
    '/account/codes/:code/transfer',
    { config: { rateLimit } },
    async (request: CodeRequest, reply) => {
      const session = await formSession(request, reply);
      if (!isSession(session)) return session;
      const { code } = request.params;
      const typed = formField(request.body, 'email');
      const action = transferAction(code);
      const email = EmailAddress.safeParse(typed);
      if (!email.success) {
        return refusedForm(ctx, reply, session, 400, {
          action,
          value: typed,
          message: EMAIL_MESSAGE,
        });
      }
      const outcome = await inTransaction(ctx.db, (trx) =>
        transferCode(
          trx,
          { code, accountId: session.accountId, ownEmail: session.email, email: email.data },
          ctx,
        ),
      );
      if (outcome.kind === 'not-found') return page(reply, 404, notYoursPage());
      if (outcome.kind === 'own-address') {
        return refusedForm(ctx, reply, session, 400, {
          action,
          value: typed,
          message: OWN_ADDRESS_MESSAGE,
        });
      }
      if (outcome.kind === 'unavailable') {
        return refusedForm(ctx, reply, session, 409, {
          action,
          value: typed,
          message: outcome.message,
        });
      }
      request.log.info({ accountId: session.accountId }, 'code transferred');
      return reply.redirect('/account', 303);
    },
  );

  scope.post(
    '/account/sales/:saleId/give',
    { config: { rateLimit } },
    async (request: SaleRequest, reply) => {
      const session = await formSession(request, reply);
      if (!isSession(session)) return session;
      const { saleId } = request.params;
      const productId = formField(request.body, 'productId');
      const typed = formField(request.body, 'emails');
      const action = bulkGiveAction(saleId);
      const bought = await ctx.db
        .selectFrom('entitlements')
        .select('code')
        .where('sale_id', '=', saleId)
        .where('buyer_account_id', '=', session.accountId)
        .executeTakeFirst();
      if (!bought) return page(reply, 404, notYoursPage());
      const target = { saleId, productId, accountId: session.accountId };
      const free = await freeCodesOfSale(ctx.db, target);
      const lines = parseRecipientLines(typed, free.length);
      if (!lines.ok) {
        const status = free.length === 0 ? 409 : 400;
        return refusedForm(ctx, reply, session, status, {
          action,
          value: typed,
          message: lines.message,
        });
      }
      try {
        await inTransaction(ctx.db, (trx) =>
          giveInBulk(trx, { ...target, emails: lines.emails }, ctx),
        );
      } catch (error) {
        if (!(error instanceof GiveConflict)) throw error;
        return refusedForm(ctx, reply, session, 409, {
          action,
          value: typed,
          message: CHANGED_MESSAGE,
        });
      }
      request.log.info({ accountId: session.accountId, count: lines.emails.length }, 'codes given');
      return reply.redirect('/account', 303);
    },
  );
}
