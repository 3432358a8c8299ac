import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCode, type CodeParseResult } from '../../shared/code/entitlement-code.ts';
import { EMAIL_MESSAGE, EmailAddress } from '../accounts/accounts.ts';
import { answerLinkRequest } from '../customers/answer-link.ts';
import { requestMagicLink } from '../customers/request-link.ts';
import type { AppContext } from '../deps.ts';
import { consumeEntitlement } from './consume.ts';
import { csrfOk, csrfTokenFor } from './csrf.ts';
import { findEntitlement, lookupCode, type CodeLookup } from './lookup.ts';
import {
  entitlementPage,
  formPage,
  messagePage,
  pendingPage,
  redeemedPage,
  unknownPage,
  type CodeForms,
} from './pages.ts';
import { PORTAL_CSS } from './portal-css.ts';
import { formField, page, refuseForgedForm, setUpPortalScope } from './portal-scope.ts';

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;

/** The customer-facing redemption portal: plain HTML forms, no script, works on any phone. */
export async function redeemRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const csrf = (request: FastifyRequest, reply: FastifyReply): string =>
    csrfTokenFor(request, reply, ctx);

  /** A typed code that does not parse: the form again, with what they typed and why. */
  const showProblem = (
    request: FastifyRequest,
    reply: FastifyReply,
    typed: string,
    parsed: CodeParseResult,
  ): FastifyReply => {
    const error = parsed.ok ? undefined : parsed.message;
    const input = { csrf: csrf(request, reply), value: typed };
    return page(reply, 400, formPage(error === undefined ? input : { ...input, error }));
  };

  const showLookup = (
    reply: FastifyReply,
    lookup: CodeLookup,
    knownStatus: number,
    forms: CodeForms,
  ): FastifyReply => {
    if (lookup.kind === 'unknown') return page(reply, 404, unknownPage());
    if (lookup.kind === 'pending') return page(reply, knownStatus, pendingPage(lookup.code));
    return page(reply, knownStatus, entitlementPage(lookup.view, forms));
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
        if (!parsed.ok) return showProblem(request, reply, typed, parsed);
        return reply.redirect(`/redeem/${parsed.value.code}`, 303);
      });

      portal.get('/:code', { config: { rateLimit } }, async (request: CodeRequest, reply) => {
        const parsed = parseCode(request.params.code);
        if (!parsed.ok) return showProblem(request, reply, request.params.code, parsed);
        const lookup = await lookupCode(ctx, parsed.value);
        return showLookup(reply, lookup, 200, { csrf: csrf(request, reply) });
      });

      portal.post(
        '/:code/consume',
        { config: { rateLimit } },
        async (request: CodeRequest, reply) => {
          if (!csrfOk(request)) return refuseForgedForm(reply);
          const parsed = parseCode(request.params.code);
          if (!parsed.ok) return showProblem(request, reply, request.params.code, parsed);
          const code = parsed.value.code;
          const storeId = await consumeEntitlement(ctx.db, code, { ...ctx, actor: 'anonymous' });
          if (storeId === null) {
            const lookup = await lookupCode(ctx, parsed.value);
            return showLookup(reply, lookup, 409, { csrf: csrf(request, reply) });
          }
          ctx.notifier.publish(storeId, ['entitlements']);
          const redeemed = await findEntitlement(ctx.db, code);
          if (!redeemed) throw new Error(`Redeemed code ${code} vanished.`);
          request.log.info({ storeId }, 'code redeemed');
          return page(reply, 200, redeemedPage(redeemed.view));
        },
      );

      portal.post(
        '/:code/claim',
        { config: { rateLimit } },
        async (request: CodeRequest, reply) => {
          if (!csrfOk(request)) return refuseForgedForm(reply);
          const parsed = parseCode(request.params.code);
          if (!parsed.ok) return showProblem(request, reply, request.params.code, parsed);
          const typed = formField(request.body, 'email');
          const email = EmailAddress.safeParse(typed);
          const known = await findEntitlement(ctx.db, parsed.value.code);
          if (!email.success) {
            const forms = { csrf: csrf(request, reply), email: typed, error: EMAIL_MESSAGE };
            if (known) return page(reply, 400, entitlementPage(known.view, forms));
            return page(reply, 400, messagePage('Check the e-mail address', EMAIL_MESSAGE));
          }
          // Only a code that can still be claimed gets a link; every other answer is the same
          // "Check your inbox", so the form tells nobody anything new about a code or an address.
          if (known?.view.state !== 'known') return answerLinkRequest(reply, null, email.data);
          const outcome = await requestMagicLink(ctx, {
            email: email.data,
            purpose: 'claim',
            code: parsed.value.code,
          });
          return answerLinkRequest(reply, outcome, email.data);
        },
      );
    },
    { prefix: '/redeem' },
  );
}
