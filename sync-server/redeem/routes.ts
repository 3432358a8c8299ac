import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseCode, type CodeParseResult } from '../../shared/code/entitlement-code.ts';
import type { AppContext } from '../deps.ts';
import { toHttpError } from '../http/errors.ts';
import { consumeEntitlement } from './consume.ts';
import { findEntitlement, lookupCode, type CodeLookup } from './lookup.ts';
import {
  entitlementPage,
  formPage,
  messagePage,
  pendingPage,
  redeemedPage,
  unknownPage,
} from './pages.ts';
import { PORTAL_CSS } from './portal-css.ts';

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What a person typed is shown back to them, but never more than a code's worth of it. */
const RedeemForm = z.object({ code: z.string().max(100) });

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** A typed code that does not parse: the form again, with what they typed and why. */
function showProblem(reply: FastifyReply, typed: string, parsed: CodeParseResult): FastifyReply {
  const error = parsed.ok ? undefined : parsed.message;
  return page(reply, 400, formPage({ value: typed, ...(error === undefined ? {} : { error }) }));
}

function showLookup(reply: FastifyReply, lookup: CodeLookup, knownStatus: number): FastifyReply {
  if (lookup.kind === 'unknown') return page(reply, 404, unknownPage());
  if (lookup.kind === 'pending') return page(reply, knownStatus, pendingPage(lookup.code));
  return page(reply, knownStatus, entitlementPage(lookup.view));
}

/** The customer-facing redemption portal: plain HTML forms, no script, works on any phone. */
export async function redeemRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(
    async (portal) => {
      await portal.register(formbody);
      const rateLimit = { max: ctx.rateLimits.portal, timeWindow: 60_000 };

      portal.addHook('onSend', async (_request, reply) => {
        reply.header('content-security-policy', CSP);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      });
      portal.setErrorHandler((error, request, reply) => {
        const http = toHttpError(error);
        if (http.statusCode >= 500) request.log.error({ err: error }, 'portal request failed');
        const title = http.statusCode === 429 ? 'Too many attempts' : 'Something went wrong';
        return page(reply, http.statusCode, messagePage(title, http.message));
      });
      portal.setNotFoundHandler((_request, reply) =>
        page(reply, 404, messagePage('Page not found', 'There is no such page.')),
      );

      portal.get('/assets/portal.css', (_request, reply) =>
        reply
          .type('text/css; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(PORTAL_CSS),
      );

      portal.get('/', (_request, reply) => page(reply, 200, formPage()));

      portal.post('/', { config: { rateLimit } }, (request, reply) => {
        const form = RedeemForm.safeParse(request.body);
        const typed = form.success ? form.data.code : '';
        const parsed = parseCode(typed);
        if (!parsed.ok) return showProblem(reply, typed, parsed);
        return reply.redirect(`/redeem/${parsed.value.code}`, 303);
      });

      portal.get<{ Params: { code: string } }>(
        '/:code',
        { config: { rateLimit } },
        async (request, reply) => {
          const parsed = parseCode(request.params.code);
          if (!parsed.ok) return showProblem(reply, request.params.code, parsed);
          return showLookup(reply, await lookupCode(ctx, parsed.value), 200);
        },
      );

      portal.post<{ Params: { code: string } }>(
        '/:code/consume',
        { config: { rateLimit } },
        async (request, reply) => {
          const parsed = parseCode(request.params.code);
          if (!parsed.ok) return showProblem(reply, request.params.code, parsed);
          const code = parsed.value.code;
          const storeId = await consumeEntitlement(ctx.db, code, ctx.clock);
          if (storeId === null) return showLookup(reply, await lookupCode(ctx, parsed.value), 409);
          ctx.notifier.publish(storeId, ['entitlements']);
          const redeemed = await findEntitlement(ctx.db, code);
          if (!redeemed) throw new Error(`Redeemed code ${code} vanished.`);
          request.log.info({ storeId }, 'code redeemed');
          return page(reply, 200, redeemedPage(redeemed.view));
        },
      );
    },
    { prefix: '/redeem' },
  );
}
