import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { EMAIL_MESSAGE, EmailAddress, findOrCreateAccount } from '../accounts/accounts.ts';
import { assignRoutes } from '../assign/routes.ts';
import type { AppContext } from '../deps.ts';
import { csrfOk, csrfTokenFor } from '../redeem/csrf.ts';
import { formField, page, refuseForgedForm, setUpPortalScope } from '../redeem/portal-scope.ts';
import { accountItems } from './account-items.ts';
import { answerLinkRequest } from './answer-link.ts';
import { claimEntitlement, claimProvisionally, type ClaimOutcome } from './claim.ts';
import { isLoginTokenUsable, useLoginToken, type LoginRequest } from './login-tokens.ts';
import { provisionalItems } from './provisional-items.ts';
import {
  accountPage,
  claimUnavailablePage,
  linkConfirmPage,
  linkExpiredPage,
  signedOutPage,
  signinPage,
} from './pages.ts';
import { requestMagicLink } from './request-link.ts';
import {
  clearSessionCookie,
  createSession,
  currentSession,
  revokeSession,
  setSessionCookie,
} from './sessions.ts';
import { inTransaction } from '../db/transaction.ts';
import { tellStatusOwner } from '../sync/change-notifier.ts';

/** 32 bytes in base64url; anything else cannot be a token and is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/** Customer accounts: sign in by e-mailed magic link, the account page, sign out. HTML, no script. */
export async function customerRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  options: { readonly provisionalClaimDays: number },
): Promise<void> {
  const claimFor = (
    trx: Transaction<Database>,
    login: LoginRequest,
    accountId: string,
  ): Promise<ClaimOutcome> | null => {
    if (login.code === null) return null;
    if (login.purpose === 'claim') return claimEntitlement(trx, login.code, accountId, ctx);
    if (login.purpose !== 'provisional-claim') return null;
    const days = options.provisionalClaimDays;
    return claimProvisionally(trx, { code: login.code, accountId, days }, ctx);
  };

  await app.register(async (scope) => {
    await setUpPortalScope(scope);
    const rateLimit = { max: ctx.rateLimits.portal, timeWindow: 60_000 };

    scope.get('/signin', (request, reply) =>
      page(reply, 200, signinPage({ csrf: csrfTokenFor(request, reply, ctx) })),
    );

    scope.post('/signin', { config: { rateLimit } }, async (request, reply) => {
      if (!csrfOk(request)) return refuseForgedForm(reply);
      const typed = formField(request.body, 'email');
      const email = EmailAddress.safeParse(typed);
      if (!email.success) {
        const csrf = csrfTokenFor(request, reply, ctx);
        return page(reply, 400, signinPage({ csrf, value: typed, error: EMAIL_MESSAGE }));
      }
      const outcome = await requestMagicLink(ctx, {
        email: email.data,
        purpose: 'sign-in',
        code: null,
      });
      return answerLinkRequest(reply, outcome, email.data);
    });

    // Link previewers and mail scanners follow links with GET: a GET only shows a button.
    scope.get(
      '/auth/link/:token',
      { config: { rateLimit } },
      async (request: TokenRequest, reply) => {
        const { token } = request.params;
        if (!TOKEN_PATTERN.test(token) || !(await isLoginTokenUsable(ctx.db, token, ctx.clock))) {
          return page(reply, 400, linkExpiredPage());
        }
        return page(reply, 200, linkConfirmPage(token, csrfTokenFor(request, reply, ctx)));
      },
    );

    scope.post(
      '/auth/link/:token',
      { config: { rateLimit } },
      async (request: TokenRequest, reply) => {
        if (!csrfOk(request)) return refuseForgedForm(reply);
        const { token } = request.params;
        if (!TOKEN_PATTERN.test(token)) return page(reply, 400, linkExpiredPage());
        // One transaction: the link is used up exactly when the account, claim and session exist.
        const signedIn = await inTransaction(ctx.db, async (trx) => {
          const login = await useLoginToken(trx, token, ctx.clock);
          if (!login) return null;
          const account = await findOrCreateAccount(trx, login.email, ctx);
          const claim = await claimFor(trx, login, account.id);
          const sessionId = await createSession(trx, account.id, ctx);
          return { sessionId, claim, code: login.code };
        });
        if (!signedIn) return page(reply, 400, linkExpiredPage());
        setSessionCookie(reply, signedIn.sessionId, ctx);
        const { claim, code } = signedIn;
        if (claim?.kind === 'claimed') {
          // After the commit, so terminals that pull see the claim (their receipt says "Claimed").
          tellStatusOwner(ctx.notifier, claim.owner);
          request.log.info({ storeId: claim.owner.storeId }, 'code claimed');
        }
        if (claim?.kind === 'unavailable' && code !== null) {
          return page(reply, 409, claimUnavailablePage(code));
        }
        return reply.redirect('/account', 303);
      },
    );

    scope.get('/account', async (request, reply) => {
      const session = await currentSession(ctx, request);
      if (!session) return reply.redirect('/signin', 303);
      const items = await accountItems(ctx.db, session.accountId);
      const provisional = await provisionalItems(ctx.db, session.accountId);
      const csrf = session.csrfToken;
      return page(reply, 200, accountPage({ email: session.email, items, provisional, csrf }));
    });

    assignRoutes(scope, ctx);

    scope.post('/signout', { config: { rateLimit } }, async (request, reply) => {
      const session = await currentSession(ctx, request);
      if (!session) return reply.redirect('/signin', 303);
      if (!csrfOk(request, session.csrfToken)) return refuseForgedForm(reply);
      await revokeSession(ctx.db, session.idHash, ctx.clock);
      clearSessionCookie(reply, ctx);
      return page(reply, 200, signedOutPage());
    });
  });
}
