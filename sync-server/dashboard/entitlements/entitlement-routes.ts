import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatCode } from '../../../shared/code/entitlement-code.ts';
import type { AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { dashboardPage, sendPage, type Flash } from '../layout.ts';
import { viewerOf, type Viewer } from '../sales/page-parts.ts';
import { formOf } from '../sales/sales-routes.ts';
import { extendExpiry, voidCode } from './entitlement-actions.ts';
import {
  entitlementView,
  recentlyChanged,
  searchEntitlements,
  type EntitlementView,
} from './entitlement-history.ts';
import { confirmForm, entitlementBody, entitlementSearchBody } from './entitlement-pages.ts';

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;

const DONE: Record<string, string> = {
  voided: 'The code is voided. Terminals learn it at their next sync.',
  extended: 'The expiry is extended.',
};

async function viewOr404(ctx: AppContext, viewer: Viewer, code: string): Promise<EntitlementView> {
  const view = await entitlementView(ctx.db, viewer.storeIds, code);
  if (!view) {
    throw new HttpError(
      404,
      'code_not_found',
      'There is no such code in your stores. Check it against the receipt.',
    );
  }
  return view;
}

/**
 * GET /dashboard/entitlements?q=, GET /dashboard/entitlements/:code (state and whole history),
 * and the two manual actions, each a confirm page (GET) and a POST with a required reason.
 */
export function entitlementRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/entitlements', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const raw = (request.query as Record<string, unknown>).q;
    const q = typeof raw === 'string' ? raw.slice(0, 254) : '';
    const hits =
      q.trim() === ''
        ? await recentlyChanged(ctx.db, viewer.storeIds)
        : await searchEntitlements(ctx.db, viewer.storeIds, q);
    return sendPage(
      reply,
      200,
      dashboardPage({
        title: 'Entitlements',
        user: viewer.user,
        body: entitlementSearchBody(q, hits, q.trim() === ''),
        current: 'entitlements',
      }),
    );
  });

  scope.get('/dashboard/entitlements/:code', async (request: CodeRequest, reply) => {
    const viewer = await viewerOf(ctx, request);
    const view = await viewOr404(ctx, viewer, request.params.code);
    const done = (request.query as Record<string, unknown>).done;
    const text = typeof done === 'string' ? DONE[done] : undefined;
    const flash: Flash | undefined = text === undefined ? undefined : { kind: 'ok', text };
    return sendPage(
      reply,
      200,
      dashboardPage({
        title: `Code ${formatCode(view.code)}`,
        user: viewer.user,
        body: entitlementBody(view),
        current: 'entitlements',
        ...(flash ? { flash } : {}),
      }),
    );
  });

  const actionPage = (
    viewer: Viewer,
    view: EntitlementView,
    kind: 'void' | 'extend',
    error: string | null,
    typed: Record<string, string | undefined>,
  ): string => {
    const back = `/dashboard/entitlements/${view.code}`;
    const shown = formatCode(view.code);
    const explain: SafeHtml =
      kind === 'void'
        ? html`<p>
            Voiding ${shown} (${view.productName}) makes it unusable for good. Its holder, if any,
            is told by e-mail. A redeemed code cannot be voided.
          </p>`
        : html`<p>
            ${shown} now expires ${view.expiresAt ?? 'never'}. Choose its new last day (UTC): it
            must be later than today and than the current expiry.
          </p>`;
    const body = confirmForm({
      user: viewer.user,
      action: `${back}/${kind}`,
      cancel: back,
      button: kind === 'void' ? 'Void the code' : 'Extend the expiry',
      danger: kind === 'void',
      error,
      explain,
      ...(kind === 'extend'
        ? {
            extraFields: html`<label
              >New last day
              <input type="date" name="through" required value="${typed.through ?? ''}" />
            </label>`,
          }
        : {}),
      ...(typed.reason === undefined ? {} : { reason: typed.reason }),
    });
    return dashboardPage({
      title: kind === 'void' ? `Void ${shown}` : `Extend ${shown}`,
      user: viewer.user,
      body,
      current: 'entitlements',
    });
  };

  for (const kind of ['void', 'extend'] as const) {
    scope.get(`/dashboard/entitlements/:code/${kind}`, async (request: CodeRequest, reply) => {
      const viewer = await viewerOf(ctx, request);
      const view = await viewOr404(ctx, viewer, request.params.code);
      return sendPage(reply, 200, actionPage(viewer, view, kind, null, {}));
    });

    scope.post(`/dashboard/entitlements/:code/${kind}`, async (request: CodeRequest, reply) => {
      const viewer = await viewerOf(ctx, request);
      const view = await viewOr404(ctx, viewer, request.params.code);
      const form = formOf(request.body);
      try {
        if (kind === 'void') {
          await voidCode(ctx, viewer.user, viewer.storeIds, {
            code: view.code,
            reason: form.reason ?? '',
          });
        } else {
          await extendExpiry(ctx, viewer.user, viewer.storeIds, {
            code: view.code,
            through: form.through ?? '',
            reason: form.reason ?? '',
          });
        }
      } catch (error) {
        if (
          !(error instanceof HttpError) ||
          (error.statusCode !== 400 && error.statusCode !== 409)
        ) {
          throw error;
        }
        return sendPage(
          reply,
          error.statusCode,
          actionPage(viewer, view, kind, error.message, form),
        );
      }
      const done = kind === 'void' ? 'voided' : 'extended';
      return reply.redirect(`/dashboard/entitlements/${view.code}?done=${done}`, 303);
    });
  }
}
