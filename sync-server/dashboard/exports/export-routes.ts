import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { AUDIT_KINDS } from '../../../shared/audit/audit-event.ts';
import { EntitlementState } from '../../../shared/schemas/entitlement.ts';
import type { AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { html } from '../../redeem/html.ts';
import { dashboardPage, sendPage } from '../layout.ts';
import { parseQuery, storeSelect, viewerOf } from '../sales/page-parts.ts';
import { SaleFilters } from '../sales/sale-filters.ts';
import {
  AuditFilters,
  EntitlementFilters,
  auditEventsCsv,
  countAuditEvents,
  countEntitlements,
  entitlementsCsv,
} from './other-exports.ts';
import { countSales, salesCsv } from './sales-export.ts';

function sendCsv(reply: FastifyReply, name: string, day: string, body: Readable): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${day}.csv"`)
    .send(body);
}

function refuse(message: string): never {
  throw new HttpError(400, 'bad_filters', message);
}

/**
 * GET /dashboard/exports (what can be downloaded, with how many rows each would have) and the
 * three CSV downloads, streamed page by page (csv-stream.ts). Filters are query parameters, the
 * same as the pages that link here; the user's stores always bound them.
 */
export function exportRoutes(scope: FastifyInstance, ctx: AppContext): void {
  const today = () => ctx.clock().toISOString().slice(0, 10);

  /** GET /dashboard/exports/<name>.csv: the filters checked (400 if wrong), then the stream. */
  const csvRoute = <Filters>(
    name: string,
    schema: z.ZodType<Filters>,
    csvOf: (db: AppContext['db'], storeIds: readonly string[], filters: Filters) => Readable,
  ) =>
    scope.get(`/dashboard/exports/${name}.csv`, async (request, reply) => {
      const viewer = await viewerOf(ctx, request);
      const filters = parseQuery(schema, request.query);
      if (!filters.ok) refuse(filters.message);
      return sendCsv(reply, name, today(), csvOf(ctx.db, viewer.storeIds, filters.value));
    });
  csvRoute('sales', SaleFilters, salesCsv);
  csvRoute('entitlements', EntitlementFilters, entitlementsCsv);
  csvRoute('audit-events', AuditFilters, auditEventsCsv);

  scope.get('/dashboard/exports', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const [sales, codes, events] = await Promise.all([
      countSales(ctx.db, viewer.storeIds, {}),
      countEntitlements(ctx.db, viewer.storeIds, {}),
      countAuditEvents(ctx.db, viewer.storeIds, {}),
    ]);
    const rows = (n: number) => `about ${n.toLocaleString('en-GB')} row${n === 1 ? '' : 's'}`;
    const store = storeSelect(viewer.stores, undefined);
    const body = html`<p class="hint">
        CSV files open in any spreadsheet. Amounts are in minor units (cents); times are UTC. Large
        files stream as they are read: your browser shows the download's progress.
      </p>
      <section class="panel" aria-labelledby="x-sales">
        <h2 id="x-sales">Sales</h2>
        <p>All sales: ${rows(sales)}.</p>
        <form method="get" action="/dashboard/exports/sales.csv" class="inline">
          <label>From <input type="date" name="from" /></label>
          <label>To <input type="date" name="to" /></label>
          ${store}
          <button type="submit" class="primary">Download sales.csv</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="x-codes">
        <h2 id="x-codes">Entitlements (codes)</h2>
        <p>All codes: ${rows(codes)}.</p>
        <form method="get" action="/dashboard/exports/entitlements.csv" class="inline">
          <label
            >State
            <select name="state">
              <option value="">Any</option>
              ${EntitlementState.options.map((state) => html`<option>${state}</option>`)}
            </select></label
          >
          ${store}
          <button type="submit" class="primary">Download entitlements.csv</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="x-audit">
        <h2 id="x-audit">Audit events</h2>
        <p>All events: ${rows(events)}.</p>
        <form method="get" action="/dashboard/exports/audit-events.csv" class="inline">
          <label
            >Kind
            <select name="kind">
              <option value="">Any</option>
              ${AUDIT_KINDS.map((kind) => html`<option>${kind}</option>`)}
            </select></label
          >
          <label>From <input type="date" name="from" /></label>
          <label>To <input type="date" name="to" /></label>
          ${store}
          <button type="submit" class="primary">Download audit-events.csv</button>
        </form>
      </section>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Exports', user: viewer.user, body, current: 'reports' }),
    );
  });
}
