import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { countSales } from '../exports/sales-export.ts';
import { html } from '../../redeem/html.ts';
import { dashboardPage, sendPage } from '../layout.ts';
import { confirmForm } from '../entitlements/entitlement-pages.ts';
import { resendReceipt } from '../entitlements/entitlement-actions.ts';
import { parseQuery, viewerOf, type Viewer } from './page-parts.ts';
import { saleDetail, type SaleDetail } from './sale-detail.ts';
import { SaleFilters } from './sale-filters.ts';
import { salesSearchBody, saleDetailBody, type TypedFilters } from './sales-pages.ts';
import { nonEmpty } from './sales-query.ts';
import { searchSales } from './sales-search.ts';

const Cursor = z.object({ before: z.coerce.number().int().min(1).optional() });
type SaleRequest = FastifyRequest<{ Params: { saleId: string } }>;

function typedOf(query: unknown): TypedFilters {
  const typed: Record<string, string> = {};
  if (typeof query === 'object' && query !== null) {
    for (const [key, value] of Object.entries(query)) {
      if (typeof value === 'string') typed[key] = value.slice(0, 254);
    }
  }
  return typed;
}

/** The signed-in user and the sale of the URL; 404 when it is not in one of their stores. */
async function visibleSale(
  ctx: AppContext,
  request: SaleRequest,
): Promise<{ viewer: Viewer; sale: SaleDetail }> {
  const viewer = await viewerOf(ctx, request);
  const sale = await saleDetail(ctx.db, viewer.storeIds, request.params.saleId);
  if (!sale) throw new HttpError(404, 'sale_not_found', 'There is no such sale in your stores.');
  return { viewer, sale };
}

/** GET /dashboard/sales (search), GET /dashboard/sales/:saleId, resend the receipt e-mail. */
export function salesRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/sales', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const filters = parseQuery(SaleFilters, request.query);
    const cursor = parseQuery(Cursor, request.query);
    const staff = await ctx.db
      .selectFrom('staff')
      .select(['id', 'name'])
      // Admins of every store (no store) sell at any counter too.
      .where((eb) =>
        eb.or([eb('store_id', 'in', nonEmpty(viewer.storeIds)), eb('store_id', 'is', null)]),
      )
      .orderBy('name')
      .execute();
    const page =
      filters.ok && cursor.ok
        ? await searchSales(ctx.db, viewer.storeIds, filters.value, {
            ...(cursor.value.before === undefined ? {} : { before: cursor.value.before }),
          })
        : null;
    const matching = filters.ok ? await countSales(ctx.db, viewer.storeIds, filters.value) : 0;
    const error = !filters.ok ? filters.message : !cursor.ok ? cursor.message : null;
    const body = salesSearchBody({
      typed: typedOf(request.query),
      filters: filters.ok ? filters.value : null,
      error,
      page,
      matching,
      stores: viewer.stores,
      staff,
    });
    return sendPage(
      reply,
      error === null ? 200 : 400,
      dashboardPage({ title: 'Sales', user: viewer.user, body, current: 'sales' }),
    );
  });

  scope.get('/dashboard/sales/:saleId', async (request: SaleRequest, reply) => {
    const { viewer, sale } = await visibleSale(ctx, request);
    const query = request.query as Record<string, unknown>;
    return sendPage(
      reply,
      200,
      dashboardPage({
        title: `Sale ${sale.receiptNumber}`,
        user: viewer.user,
        body: saleDetailBody(sale),
        current: 'sales',
        ...(typeof query.sent === 'string'
          ? {
              flash: {
                kind: 'ok' as const,
                text: `The receipt e-mail is on its way to ${query.sent}.`,
              },
            }
          : {}),
      }),
    );
  });

  const resendPage = async (
    request: SaleRequest,
    status: number,
    error: string | null,
    typed: { email?: string; reason?: string } = {},
  ) => {
    const { viewer, sale } = await visibleSale(ctx, request);
    const back = `/dashboard/sales/${sale.id}`;
    const body = confirmForm({
      user: viewer.user,
      action: `${back}/resend`,
      cancel: back,
      button: 'Send the receipt again',
      danger: false,
      error,
      explain: html`<p>
        The receipt of ${sale.receiptNumber} with all its codes is e-mailed again. Leave the address
        empty to send it to the
        buyer${sale.body.buyerEmail ? html` (${sale.body.buyerEmail})` : ''}.
      </p>`,
      extraFields: html`<label
        >E-mail address (optional)
        <input type="email" name="email" value="${typed.email ?? ''}" />
      </label>`,
      ...(typed.reason === undefined ? {} : { reason: typed.reason }),
    });
    return {
      status,
      page: dashboardPage({
        title: `Resend ${sale.receiptNumber}`,
        user: viewer.user,
        body,
        current: 'sales' as const,
      }),
    };
  };

  scope.get('/dashboard/sales/:saleId/resend', async (request: SaleRequest, reply) => {
    const { status, page } = await resendPage(request, 200, null);
    return sendPage(reply, status, page);
  });

  scope.post('/dashboard/sales/:saleId/resend', async (request: SaleRequest, reply) => {
    const viewer = await viewerOf(ctx, request);
    const form = formOf(request.body);
    try {
      await resendReceipt(ctx, viewer.user, viewer.storeIds, {
        saleId: request.params.saleId,
        email: form.email,
        reason: form.reason ?? '',
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 400) throw error;
      const { page } = await resendPage(request, 400, error.message, form);
      return sendPage(reply, 400, page);
    }
    return reply.redirect(
      `/dashboard/sales/${encodeURIComponent(request.params.saleId)}?sent=1`,
      303,
    );
  });
}

/** The text fields of a posted form; anything else is ignored. */
export function formOf(body: unknown): Record<string, string | undefined> {
  const fields: Record<string, string> = {};
  if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') fields[key] = value;
    }
  }
  return fields;
}
