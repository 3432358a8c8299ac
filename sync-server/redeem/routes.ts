import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCode, type ParsedCode } from '../../shared/code/entitlement-code.ts';
import { EMAIL_MESSAGE, EmailAddress } from '../accounts/accounts.ts';
import { answerLinkRequest } from '../customers/answer-link.ts';
import { requestMagicLink } from '../customers/request-link.ts';
import type { AppContext } from '../deps.ts';
import { createRedeemQueue } from '../entitlements/redeem-queue.ts';
import { requestCounter } from '../http/rate-limit-store.ts';
import { createCodeLimiter } from './code-limiter.ts';
import { csrfOk, csrfTokenFor } from './csrf.ts';
import { lookupCode, type CodeLookup } from './lookup.ts';
import {
  CANT_USE_STATUS,
  cantUsePage,
  entitlementPage,
  formPage,
  messagePage,
  pendingPage,
  redeemableOnTheSpot,
  redeemedPage,
  tooManyForCodePage,
  type CodeForms,
  type EntitlementView,
} from './pages.ts';
import { PORTAL_CSS } from './portal-css.ts';
import { formField, page, refuseForgedForm, setUpPortalScope } from './portal-scope.ts';
import { tellStatusOwner } from '../sync/change-notifier.ts';

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;

/** The customer-facing redemption portal: plain HTML forms, no script, works on any phone. */
export async function redeemRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const csrf = (request: FastifyRequest, reply: FastifyReply): string =>
    csrfTokenFor(request, reply, ctx);
  const codeLimiter = createCodeLimiter(requestCounter(ctx.limitStore, ctx.db), ctx.clock);
  const redemptions = createRedeemQueue(ctx.db, ctx);

  /** Unknown, malformed, forged and expired codes all get this, word for word (pages.ts). */
  const cantUse = (request: FastifyRequest, reply: FastifyReply, typed: string): FastifyReply =>
    page(reply, CANT_USE_STATUS, cantUsePage({ csrf: csrf(request, reply), value: typed }));

  /**
   * A typed code we can act on and what we know of it, or null when the answer is already sent:
   * the form with its own message for an empty field or a typo, the neutral answer for anything
   * else, 429 past the per-code limit. The attempt is counted while the code is looked up, not
   * before: on PostgreSQL each is a round trip, and a request over the limit is answered 429 all
   * the same, with nothing of the lookup in it.
   */
  const readCode = async (
    request: FastifyRequest,
    reply: FastifyReply,
    typed: string,
  ): Promise<{ readonly parsed: ParsedCode; readonly lookup: CodeLookup } | null> => {
    const parsed = parseCode(typed);
    if (!parsed.ok) {
      if (parsed.problem !== 'empty' && parsed.problem !== 'typo') {
        cantUse(request, reply, typed);
        return null;
      }
      const input = { csrf: csrf(request, reply), value: typed, error: parsed.message };
      page(reply, 400, formPage(input));
      return null;
    }
    const [limit, lookup] = await Promise.all([
      codeLimiter.attempt(parsed.value.code),
      lookupCode(ctx, parsed.value),
    ]);
    if (!limit.ok) {
      reply.header('retry-after', String(Math.ceil(limit.retryInMs / 1000)));
      page(reply, 429, tooManyForCodePage(limit.retryInMs));
      return null;
    }
    return { parsed: parsed.value, lookup };
  };

  /** Expired by state, or by date before the sweep has caught up: either way no longer usable. */
  const isExpired = (view: EntitlementView): boolean =>
    view.state === 'expired' ||
    (view.expiresAt != null && Date.parse(view.expiresAt) <= ctx.clock().getTime());

  const showLookup = (
    request: CodeRequest,
    reply: FastifyReply,
    lookup: CodeLookup,
    status: number,
    forms: CodeForms,
  ): FastifyReply => {
    if (lookup.kind === 'unknown') return cantUse(request, reply, request.params.code);
    if (lookup.kind === 'pending') {
      return page(reply, status, pendingPage(lookup.code, { ...forms, claim: lookup.claim }));
    }
    if (isExpired(lookup.view)) return cantUse(request, reply, request.params.code);
    return page(reply, status, entitlementPage(lookup.view, forms));
  };

  await app.register(
    async (portal) => {
      await setUpPortalScope(portal);
      const rateLimit = { max: ctx.rateLimits.portal, timeWindow: 60_000 };
      portal.setNotFoundHandler((_request, reply) =>
        page(reply, 404, messagePage('Page not found', 'There is no such page.')),
      );

      portal.get('/assets/portal.css', (_request, reply) =>
        reply
          .type('text/css; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(PORTAL_CSS),
      );

      portal.get('/', (request, reply) =>
        page(reply, 200, formPage({ csrf: csrf(request, reply) })),
      );

      portal.post('/', { config: { rateLimit } }, (request, reply) => {
        if (!csrfOk(request)) return refuseForgedForm(reply);
        const typed = formField(request.body, 'code').slice(0, 100);
        const parsed = parseCode(typed);
        if (parsed.ok) return reply.redirect(`/redeem/${parsed.value.code}`, 303);
        if (parsed.problem !== 'empty' && parsed.problem !== 'typo') {
          return cantUse(request, reply, typed);
        }
        return page(
          reply,
          400,
          formPage({ csrf: csrf(request, reply), value: typed, error: parsed.message }),
        );
      });

      portal.get('/:code', { config: { rateLimit } }, async (request: CodeRequest, reply) => {
        const read = await readCode(request, reply, request.params.code);
        if (read === null) return reply;
        return showLookup(request, reply, read.lookup, 200, { csrf: csrf(request, reply) });
      });

      portal.post(
        '/:code/consume',
        { config: { rateLimit } },
        async (request: CodeRequest, reply) => {
          if (!csrfOk(request)) return refuseForgedForm(reply);
          const read = await readCode(request, reply, request.params.code);
          if (read === null) return reply;
          const { parsed, lookup: before } = read;
          const code = parsed.code;
          // Gift cards, vouchers, tickets and licences are not redeemed by whoever holds the
          // link: the page says what to do instead (claim, register, spend at the counter). A
          // code whose sale has not arrived (or unknown) is not tried either: it is checked
          // for these once its sale is here, on the next try.
          if (
            before.kind !== 'known' ||
            !redeemableOnTheSpot(before.view) ||
            isExpired(before.view)
          ) {
            return showLookup(request, reply, before, 409, { csrf: csrf(request, reply) });
          }
          const redeemed = await redemptions.redeem({
            code,
            actor: 'anonymous',
            reason: 'redeemed on the portal',
          });
          if (redeemed === null) {
            const lookup = await lookupCode(ctx, parsed);
            return showLookup(request, reply, lookup, 409, { csrf: csrf(request, reply) });
          }
          tellStatusOwner(ctx.notifier, redeemed);
          request.log.info({ storeId: redeemed.storeId }, 'code redeemed');
          // The page as read before, with what the committed UPDATE changed: the guard matched
          // only a code still known, and a redemption changes nothing else it shows.
          const view = {
            ...before.view,
            state: 'consumed' as const,
            consumedAt: redeemed.consumedAt,
          };
          return page(reply, 200, redeemedPage(view));
        },
      );

      portal.post(
        '/:code/claim',
        { config: { rateLimit } },
        async (request: CodeRequest, reply) => {
          if (!csrfOk(request)) return refuseForgedForm(reply);
          const read = await readCode(request, reply, request.params.code);
          if (read === null) return reply;
          const { parsed, lookup } = read;
          if (lookup.kind === 'unknown' || (lookup.kind === 'known' && isExpired(lookup.view))) {
            return cantUse(request, reply, request.params.code);
          }
          const typed = formField(request.body, 'email');
          const email = EmailAddress.safeParse(typed);
          if (!email.success) {
            const forms = { csrf: csrf(request, reply), email: typed, error: EMAIL_MESSAGE };
            return showLookup(request, reply, lookup, 400, forms);
          }
          // Only a code that can still be claimed gets a link; every other answer is the same
          // "Check your inbox", so the form tells nobody anything new about a code or an address.
          const claimable =
            lookup.kind === 'pending' ? lookup.claim === null : lookup.view.state === 'known';
          if (!claimable) return answerLinkRequest(reply, null, email.data);
          const outcome = await requestMagicLink(ctx, {
            email: email.data,
            purpose: lookup.kind === 'pending' ? 'provisional-claim' : 'claim',
            code: parsed.code,
          });
          return answerLinkRequest(reply, outcome, email.data);
        },
      );
    },
    { prefix: '/redeem' },
  );
}
