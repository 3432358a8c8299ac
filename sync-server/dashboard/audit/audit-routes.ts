import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUDIT_KINDS } from '../../../shared/audit/audit-event.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { AuditFilters, matchingAuditEvents } from '../exports/other-exports.ts';
import { dataTable, pageLink } from '../html-parts.ts';
import { dashboardPage, sendPage, shortDateTime } from '../layout.ts';
import { parseQuery, queryString, viewerOf } from '../sales/page-parts.ts';
import { nonEmpty } from '../sales/sales-query.ts';
import { auditOverview, type StoreAudit, type TerminalAudit } from './audit-overview.ts';

const EVENTS_PAGE = 100;
const Cursor = z.object({ after: z.coerce.number().int().min(0).optional() });

function chainCell(terminal: TerminalAudit): SafeHtml {
  const status = terminal.status;
  if (status === null) {
    return html`<span class="badge off">No audit events yet</span>`;
  }
  if (status.status === 'ok') {
    return html`<span class="badge ok">Intact</span> verified through event ${status.verifiedSeq} of
      ${status.lastSeq}`;
  }
  const first = status.problems[0];
  return html`<span class="badge bad">Broken</span>
    ${first ? html` at event ${first.seq}: ${first.message}` : null}
    ${
      status.problems.length > 1
        ? html`<details>
            <summary>All ${status.problems.length} problems</summary>
            <ul>
              ${status.problems.map((p) => html`<li>Event ${p.seq}: ${p.message}</li>`)}
            </ul>
          </details>`
        : null
    }`;
}

function storeSection(audit: StoreAudit, many: boolean): SafeHtml {
  const money = (amount: number) => formatMoney(amount, audit.store.currency);
  const terminals = audit.terminals.map(
    (terminal) =>
      html`<tr>
        <th scope="row">
          <a href="/dashboard/audit/terminals/${terminal.id}">${terminal.name}</a>
          ${terminal.revoked ? html`<span class="badge off">Revoked</span>` : null}
        </th>
        <td>${chainCell(terminal)}</td>
        <td>
          ${shortDateTime(terminal.lastEventAt)}
          ${
            terminal.lastReceivedAt
              ? html`<div class="hint">received ${shortDateTime(terminal.lastReceivedAt)}</div>`
              : null
          }
        </td>
        <td>
          ${
            terminal.unauditedSales.length === 0
              ? html`None`
              : html`<span class="badge warn">${terminal.unauditedSales.length}</span>
                  ${terminal.unauditedSales
                    .slice(0, 10)
                    .map(
                      (sale) =>
                        html` <a href="/dashboard/sales/${sale.saleId}">${sale.receiptNumber}</a>`,
                    )}`
          }
        </td>
      </tr>`,
  );
  return html`<section aria-labelledby="store-${audit.store.id}">
    ${many ? html`<h2 id="store-${audit.store.id}">${audit.store.name}</h2>` : null}
    <h3 id="${many ? '' : `store-${audit.store.id}`}">Terminals</h3>
    ${dataTable({
      columns: ['Terminal', 'Audit chain', 'Last event', 'Sales without an audit event'],
      rows: terminals,
      empty: 'No terminals are enrolled in this store.',
    })}
    <h3>Needs review</h3>
    ${dataTable({
      columns: ['What', 'Receipt', 'When', 'Why'],
      rows: audit.review.map(
        (fact) =>
          html`<tr>
            <td>${fact.kind}</td>
            <td><a href="/dashboard/sales/${fact.saleId}">${fact.receiptNumber}</a></td>
            <td>${shortDateTime(fact.createdAt)}</td>
            <td>${fact.reason}</td>
          </tr>`,
      ),
      empty: 'Every void, refund and large discount was approved by a manager.',
    })}
    <h3>Flagged refunds</h3>
    ${dataTable({
      columns: ['Receipt', 'When', { label: 'Amount', numeric: true }, 'Flag'],
      rows: audit.flagged.map(
        (refund) =>
          html`<tr>
            <td><a href="/dashboard/sales/${refund.saleId}">${refund.receiptNumber}</a></td>
            <td>${shortDateTime(refund.createdAt)}${refund.takenOffline ? ' (offline)' : ''}</td>
            <td class="num">${money(refund.amount)}</td>
            <td>${refund.flag}</td>
          </tr>`,
      ),
      empty: 'No refund was flagged.',
    })}
  </section>`;
}

type TerminalRequest = FastifyRequest<{ Params: { terminalId: string } }>;

/** GET /dashboard/audit and GET /dashboard/audit/terminals/:terminalId (its events, filtered). */
export function auditRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/audit', async (request, reply) => {
    const viewer = await viewerOf(ctx, request);
    const audits = await auditOverview(ctx.db, viewer.stores, ctx.clock);
    const body = html`<p class="hint">
        Every terminal records each sale, void, refund, approval and drawer movement in a hash
        chain. A deleted or altered event breaks it. Times are UTC.
      </p>
      <p><a href="/dashboard/exports/audit-events.csv">Download all audit events (CSV)</a></p>
      ${audits.map((audit) => storeSection(audit, audits.length > 1))}`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Audit', user: viewer.user, body, current: 'audit' }),
    );
  });

  scope.get('/dashboard/audit/terminals/:terminalId', async (request: TerminalRequest, reply) => {
    const viewer = await viewerOf(ctx, request);
    const terminal = await ctx.db
      .selectFrom('terminals')
      .select(['id', 'name', 'store_id'])
      .where('id', '=', request.params.terminalId)
      .where('store_id', 'in', nonEmpty(viewer.storeIds))
      .executeTakeFirst();
    if (!terminal) {
      throw new HttpError(404, 'terminal_not_found', 'There is no such terminal in your stores.');
    }
    const filters = parseQuery(AuditFilters, request.query);
    const cursor = parseQuery(Cursor, request.query);
    const typed = request.query as Record<string, unknown>;
    const text = (key: string) => (typeof typed[key] === 'string' ? typed[key] : '');
    const form = html`<form method="get" class="inline">
      <label
        >Kind
        <select name="kind">
          <option value="">Any</option>
          ${AUDIT_KINDS.map(
            (kind) =>
              html`<option ${text('kind') === kind ? html`selected` : null}>${kind}</option>`,
          )}
        </select></label
      >
      <label>From <input type="date" name="from" value="${text('from')}" /></label>
      <label>To <input type="date" name="to" value="${text('to')}" /></label>
      <button type="submit" class="primary">Filter</button>
    </form>`;
    const title = `Audit events of ${terminal.name}`;
    if (!filters.ok || !cursor.ok) {
      const message = !filters.ok ? filters.message : !cursor.ok ? cursor.message : '';
      return sendPage(
        reply,
        400,
        dashboardPage({
          title,
          user: viewer.user,
          body: html`${form}
            <p class="error" role="alert">${message}</p>`,
          current: 'audit',
        }),
      );
    }
    const scoped = { ...filters.value, terminal: terminal.id };
    let query = matchingAuditEvents(ctx.db, [terminal.store_id], scoped)
      .leftJoin('staff', 'staff.id', 'audit_events.staff_id')
      .select([
        'audit_events.id',
        'audit_events.seq',
        'audit_events.kind',
        'audit_events.subject_id',
        'audit_events.created_at',
        'audit_events.received_at',
        'audit_events.body',
        'staff.name as staff_name',
      ])
      .orderBy('audit_events.seq')
      .orderBy('audit_events.id')
      .limit(EVENTS_PAGE + 1);
    // Keyset by seq: a duplicate seq (a forged event) straddling a page edge is shown on both.
    if (cursor.value.after !== undefined)
      query = query.where('audit_events.seq', '>', cursor.value.after);
    const rows = await query.execute();
    const shown = rows.slice(0, EVENTS_PAGE);
    const lastSeq = shown.at(-1)?.seq;
    const next = pageLink(
      rows.length > EVENTS_PAGE && lastSeq !== undefined
        ? `/dashboard/audit/terminals/${terminal.id}${queryString({
            kind: filters.value.kind,
            from: filters.value.from,
            to: filters.value.to,
            after: lastSeq,
          })}`
        : null,
      'Later events →',
    );
    const body = html`${form}
      ${dataTable({
        columns: [{ label: '#', numeric: true }, 'Kind', 'When (till clock)', 'Staff', 'Detail'],
        rows: shown.map(
          (event) =>
            html`<tr>
              <td class="num">${event.seq}</td>
              <td>${event.kind}</td>
              <td>${shortDateTime(event.created_at)}</td>
              <td>${event.staff_name ?? '—'}</td>
              <td>${detailOf(event.body)}</td>
            </tr>`,
        ),
        empty: 'No audit event matches.',
      })}
      <p>${next} <a href="/dashboard/audit">Back to the audit</a></p>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title, user: viewer.user, body, current: 'audit' }),
    );
  });
}

function detailOf(body: string): string {
  const parsed = z
    .object({
      detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    })
    .safeParse(JSON.parse(body));
  if (!parsed.success) return '';
  return Object.entries(parsed.data.detail)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}
