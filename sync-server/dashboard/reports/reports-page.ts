import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatMoney } from '../../../shared/money.ts';
import type { AppContext } from '../../deps.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { dashboardPage, sendPage } from '../layout.ts';
import { parseQuery, queryString, storeSelect, viewerOf } from '../sales/page-parts.ts';
import { DocumentId } from '../../../shared/schemas/common.ts';
import { barChart } from './bar-chart.ts';
import { buildReport } from './report-facts.ts';
import type { Dimension, Report, ReportRow } from './report-totals.ts';

const MAX_DAYS = 366;
const Day = z.iso.date('Dates are written as YYYY-MM-DD.');

const ReportQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    store: z.preprocess((v) => (v === '' ? undefined : v), DocumentId.optional()),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    error: 'The start date is after the end date.',
    path: ['to'],
  })
  .refine(
    (q) =>
      q.from === undefined ||
      q.to === undefined ||
      Date.parse(q.to) - Date.parse(q.from) < MAX_DAYS * 86_400_000,
    { error: 'A report covers at most a year. Pick a shorter range.', path: ['to'] },
  );

const SECTIONS: readonly { dimension: Dimension; title: string; countLabel: string }[] = [
  { dimension: 'day', title: 'By day', countLabel: 'Receipts' },
  { dimension: 'product', title: 'By product', countLabel: 'Units' },
  { dimension: 'staff', title: 'By staff member', countLabel: 'Receipts' },
  { dimension: 'tender', title: 'By tender', countLabel: 'Payments' },
  { dimension: 'store', title: 'By store', countLabel: 'Receipts' },
];

/** formatMoney takes no negative minor units; a net loss reads "−€5.00". */
function money(row: Pick<ReportRow, 'currency'>, amount: number): string {
  return `${amount < 0 ? '−' : ''}${formatMoney(Math.abs(amount), row.currency)}`;
}

function table(rows: readonly ReportRow[], countLabel: string, caption: string): SafeHtml {
  return html`<table>
    <caption class="hint">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col"></th>
        <th scope="col" class="num">${countLabel}</th>
        <th scope="col" class="num">Sales</th>
        <th scope="col" class="num">Refunded</th>
        <th scope="col" class="num">Voided</th>
        <th scope="col" class="num">Net</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <th scope="row">${row.label}</th>
            <td class="num">${row.count}</td>
            <td class="num">${money(row, row.sales)}</td>
            <td class="num">${money(row, row.refunds)}</td>
            <td class="num">${money(row, row.voided)}</td>
            <td class="num">${money(row, row.net)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function section(report: Report, spec: (typeof SECTIONS)[number], multiCurrency: boolean) {
  const rows = report[spec.dimension].map((row) =>
    multiCurrency ? { ...row, label: `${row.label} (${row.currency})` } : row,
  );
  if (rows.length === 0) return null;
  // A chart only where there is something to compare: one bar says nothing a table does not.
  const chart =
    rows.length > 1
      ? barChart({
          id: `chart-${spec.dimension}`,
          title: `Net sales ${spec.title.toLowerCase()}`,
          bars: rows.map((row) => ({
            label: row.label,
            value: row.net,
            display: money(row, row.net),
          })),
        })
      : null;
  return html`<section aria-labelledby="h-${spec.dimension}">
    <h2 id="h-${spec.dimension}">${spec.title}</h2>
    ${chart} ${table(rows, spec.countLabel, `${spec.title}: net = sales − refunded − voided.`)}
  </section>`;
}

export function reportBody(
  report: Report,
  range: { from: string; to: string; store?: string | undefined },
): SafeHtml {
  const currencies = new Set(report.totals.map((row) => row.currency));
  const cards = report.totals.map(
    (total) =>
      html`<div class="card">
          <div class="label">Sales (${total.count})</div>
          <div class="value">${money(total, total.sales)}</div>
        </div>
        <div class="card">
          <div class="label">Refunded</div>
          <div class="value">${money(total, total.refunds)}</div>
        </div>
        <div class="card">
          <div class="label">Voided</div>
          <div class="value">${money(total, total.voided)}</div>
        </div>
        <div class="card">
          <div class="label">Net</div>
          <div class="value">${money(total, total.net)}</div>
        </div>`,
  );
  if (cards.length === 0) {
    return html`<p class="empty">
      No sales, refunds or voids between ${range.from} and ${range.to}.
    </p>`;
  }
  return html`<div class="cards">${cards}</div>
    <p class="actions">
      <a class="button" href="/dashboard/exports/sales.csv${queryString(range)}"
        >Download these sales (CSV)</a
      >
      <a href="/dashboard/exports">All exports</a>
    </p>
    ${SECTIONS.flatMap((spec) => section(report, spec, currencies.size > 1) ?? [])}`;
}

/** GET /dashboard/reports?from&to&store: totals, charts and tables for a range of UTC days. */
export function reportRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/reports', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const parsed = parseQuery(ReportQuery, request.query);
    const today = ctx.clock().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.parse(today) - 6 * 86_400_000).toISOString().slice(0, 10);
    const q = parsed.ok ? parsed.value : {};
    const range = { from: q.from ?? weekAgo, to: q.to ?? today, store: q.store };
    const form = html`<form method="get" action="/dashboard/reports" class="inline">
        <label>From <input type="date" name="from" value="${range.from}" /></label>
        <label>To <input type="date" name="to" value="${range.to}" /></label>
        ${storeSelect(viewer.stores, range.store)}
        <button type="submit" class="primary">Show</button>
      </form>
      <p class="hint">
        Days are UTC, by each sale's, refund's or void's own time. Amounts include tax.
      </p>`;
    if (!parsed.ok) {
      return sendPage(
        reply,
        400,
        dashboardPage({
          title: 'Reports',
          user: viewer.user,
          body: html`${form}
            <p class="error" role="alert">${parsed.message}</p>`,
          current: 'reports',
        }),
      );
    }
    const storeIds =
      range.store === undefined
        ? viewer.storeIds
        : viewer.storeIds.filter((id) => id === range.store);
    const { report, storeNames } = await buildReport(ctx.db, storeIds, range);
    const named: Report = {
      ...report,
      store: report.store.map((row) => ({ ...row, label: storeNames.get(row.key) ?? row.key })),
    };
    return sendPage(
      reply,
      200,
      dashboardPage({
        title: 'Reports',
        user: viewer.user,
        body: html`${form}${reportBody(named, range)}`,
        current: 'reports',
      }),
    );
  });
}
