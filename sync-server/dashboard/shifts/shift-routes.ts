import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatMoney } from '../../../shared/money.ts';
import { shiftReportSheet } from '../../../shared/shift/shift-report-sheet.ts';
import { formatVariance } from '../../../shared/shift/shift-report.ts';
import type { AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { dataTable, detailList, pageLink } from '../html-parts.ts';
import { dashboardPage, sendPage, shortDateTime } from '../layout.ts';
import { parseQuery, queryString, viewerOf } from '../sales/page-parts.ts';
import { listShifts, shiftView, type ShiftRow } from './shift-queries.ts';

const Cursor = z.object({
  beforeAt: z.iso.datetime().optional(),
  beforeId: z.string().max(64).optional(),
});

/** A variance other than zero is shown red: it is cash missing or unexplained. */
export function varianceBadge(variance: number, currency: string): SafeHtml {
  const text = formatVariance(variance, currency);
  if (variance === 0) return html`<span class="badge ok">${text}</span>`;
  return html`<span class="badge bad">${text} ${variance < 0 ? 'short' : 'over'}</span>`;
}

function shiftRow(shift: ShiftRow, currency: string): SafeHtml {
  const money = (n: number) => formatMoney(n, currency);
  return html`<tr>
    <td><a href="/dashboard/shifts/${shift.id}">${shortDateTime(shift.openedAt)}</a></td>
    <td>${shift.terminalName}</td>
    <td>${shift.openedBy ?? '—'}</td>
    <td class="num">${money(shift.float)}</td>
    <td class="num">${money(shift.cashIn)}</td>
    <td class="num">${money(shift.cashOut)}</td>
    <td>
      ${
        shift.closedAt === null
          ? html`<span class="badge warn">Open</span>`
          : html`${shortDateTime(shift.closedAt)} by ${shift.closedBy ?? '—'}`
      }
    </td>
    <td class="num">${shift.close ? money(shift.close.expectedCash) : '—'}</td>
    <td class="num">${shift.close ? money(shift.close.countedCash) : '—'}</td>
    <td class="num">${shift.close ? varianceBadge(shift.close.variance, currency) : '—'}</td>
  </tr>`;
}

type ShiftRequest = FastifyRequest<{ Params: { shiftId: string } }>;

/** GET /dashboard/shifts (every shift, newest first) and /dashboard/shifts/:id (its X/Z report). */
export function shiftRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/shifts', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const cursor = parseQuery(Cursor, request.query);
    const before =
      cursor.ok && cursor.value.beforeAt !== undefined && cursor.value.beforeId !== undefined
        ? { openedAt: cursor.value.beforeAt, id: cursor.value.beforeId }
        : undefined;
    const page = await listShifts(ctx.db, viewer.storeIds, before ? { before } : {});
    const currencyOf = new Map(viewer.stores.map((store) => [store.id, store.currency]));
    const next = pageLink(
      page.next
        ? `/dashboard/shifts${queryString({ beforeAt: page.next.openedAt, beforeId: page.next.id })}`
        : null,
      'Older shifts →',
    );
    const body = html`${
      page.rows.length === 0 ? null : html`<p class="hint">Times are the tills' clocks, in UTC.</p>`
    }
    ${dataTable({
      columns: [
        'Opened',
        'Terminal',
        'By',
        { label: 'Float', numeric: true },
        { label: 'Cash in', numeric: true },
        { label: 'Cash out', numeric: true },
        'Closed',
        { label: 'Expected', numeric: true },
        { label: 'Counted', numeric: true },
        { label: 'Variance', numeric: true },
      ],
      rows: page.rows.map((shift) => shiftRow(shift, currencyOf.get(shift.storeId) ?? 'EUR')),
      empty: 'No shifts yet. A shift starts when a cashier opens the till with a float.',
    })}
    ${next ? html`<p>${next}</p>` : null}`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Shifts', user: viewer.user, body, current: 'shifts' }),
    );
  });

  scope.get('/dashboard/shifts/:shiftId', async (request: ShiftRequest, reply) => {
    const viewer = await viewerOf(ctx, request);
    const view = await shiftView(
      ctx.db,
      viewer.storeIds,
      request.params.shiftId,
      ctx.clock().toISOString(),
    );
    if (!view)
      throw new HttpError(404, 'shift_not_found', 'There is no such shift in your stores.');
    const { shift, report } = view;
    let reportHtml: SafeHtml;
    if (report) {
      const sheet = shiftReportSheet(report, {
        storeName: view.storeName,
        terminalName: shift.terminalName,
        staffName: view.staffName,
      });
      reportHtml = html`<h2>${sheet.title}</h2>
        ${
          sheet.variance
            ? html`<p>Variance: ${varianceBadge(report.close?.variance ?? 0, report.currency)}</p>`
            : null
        }
        ${sheet.sections.map(
          (section) =>
            html`<table>
              <caption>
                ${section.heading}
              </caption>
              <tbody>
                ${section.rows.map(
                  (row) =>
                    html`<tr>
                      <th scope="row">${row.label}</th>
                      <td class="num">
                        ${row.strong ? html`<strong>${row.value}</strong>` : row.value}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
        )}`;
    } else {
      const currency = viewer.stores.find((s) => s.id === shift.storeId)?.currency ?? 'EUR';
      reportHtml = shift.close
        ? html`<h2>Close count</h2>
            <p class="hint">
              The shift's events could not be read to rebuild its report; this is what the till
              recorded at the close.
            </p>
            ${detailList([
              [
                'Sales',
                `${shift.close.salesCount}, ${formatMoney(shift.close.salesTotal, currency)}`,
              ],
              ['Expected cash', formatMoney(shift.close.expectedCash, currency)],
              ['Counted cash', formatMoney(shift.close.countedCash, currency)],
              ['Variance', varianceBadge(shift.close.variance, currency)],
            ])}`
        : html`<p class="empty">The shift's events could not be read to build its report.</p>`;
    }
    const body = html`<p>
        ${shift.terminalName}, opened ${shortDateTime(shift.openedAt)} by ${shift.openedBy ?? '—'}
        ${
          shift.closedAt
            ? html`, closed ${shortDateTime(shift.closedAt)} by ${shift.closedBy ?? '—'}`
            : html` — <span class="badge warn">still open</span> (an X-report: nothing counted yet)`
        }
      </p>
      ${reportHtml}
      <p><a href="/dashboard/shifts">All shifts</a> · <a href="/dashboard/sales">Sales</a></p>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Shift', user: viewer.user, body, current: 'shifts' }),
    );
  });
}
