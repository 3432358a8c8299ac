import type { FastifyInstance, FastifyRequest } from 'fastify';
import { revokeTerminal, revokeTerminalNow } from '../auth/revoke.ts';
import type { AppContext } from '../deps.ts';
import { createPairingCode } from '../enrol/pairing-codes.ts';
import { HttpError } from '../http/errors.ts';
import { formField } from '../redeem/portal-scope.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { recordDashboardAction } from './actions.ts';
import { dataTable } from './html-parts.ts';
import {
  csrfField,
  dashboardPage,
  flashFromQuery,
  sendPage,
  shortDateTime,
  type Flash,
} from './layout.ts';
import { requireDashboardUser, type DashboardUser } from './session.ts';
import { terminalStatuses, type TerminalStatus } from './terminal-status.ts';
import { requireVisibleStore, storesVisibleTo } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NOTICES = { revoked: 'The terminal is revoked. It was told at once and can no longer sync.' };

function auditBadge(terminal: TerminalStatus): SafeHtml {
  if (terminal.audit === null) return html`<span class="badge off">No events yet</span>`;
  if (terminal.audit.status === 'ok') return html`<span class="badge ok">Intact</span>`;
  return html`<span class="badge bad">Broken</span>
    <div class="hint">${terminal.audit.firstProblem ?? ''}</div>`;
}

/** What the till said it still has to push, and the last document the server refused from it. */
function syncCell(terminal: TerminalStatus): SafeHtml {
  const pending =
    terminal.pending === null
      ? html`<span class="hint">Not reported yet</span>`
      : terminal.pending.count === 0
        ? html`<span class="badge ok">All synced</span>`
        : html`<span class="badge warn">${String(terminal.pending.count)} waiting</span>`;
  const reportedAt =
    terminal.pending === null
      ? html``
      : html`<div class="hint">as of ${shortDateTime(terminal.pending.at)}</div>`;
  const refusal =
    terminal.lastRefusal === null
      ? html``
      : html`<div class="hint">
          Last refused ${shortDateTime(terminal.lastRefusal.at)}: ${terminal.lastRefusal.text}
        </div>`;
  return html`${pending}${reportedAt}${refusal}`;
}

function terminalRow(terminal: TerminalStatus): SafeHtml {
  const state =
    terminal.revokedAt === null
      ? html`<a class="button" href="/dashboard/terminals/${terminal.id}/revoke"
          >Revoke<span class="sr-only"> ${terminal.name}</span></a
        >`
      : html`<span class="badge bad">Revoked</span>
          <div class="hint">${shortDateTime(terminal.revokedAt)}</div>`;
  return html`<tr id="${terminal.id}">
    <td>${terminal.name}</td>
    <td>${terminal.storeName}</td>
    <td><code>${terminal.prefix}</code></td>
    <td>${shortDateTime(terminal.enrolledAt)}</td>
    <td>${shortDateTime(terminal.lastSeenAt)}</td>
    <td>${shortDateTime(terminal.lastPushAt)}</td>
    <td>${syncCell(terminal)}</td>
    <td>${auditBadge(terminal)}</td>
    <td>${state}</td>
  </tr>`;
}

async function terminalsPage(ctx: AppContext, user: DashboardUser, flash?: Flash): Promise<string> {
  const stores = await storesVisibleTo(ctx.db, user);
  const terminals = await terminalStatuses(
    ctx.db,
    stores.map((store) => store.id),
    ctx.clock,
  );
  const storeChoice =
    stores.length === 1
      ? html`<input type="hidden" name="storeId" value="${stores[0]?.id ?? ''}" />`
      : html`<label for="pairing-store">Store</label>
          <select id="pairing-store" name="storeId">
            ${stores.map((store) => html`<option value="${store.id}">${store.name}</option>`)}
          </select>`;
  const body = html`<section class="panel" aria-labelledby="pair">
      <h2 id="pair">Pair a new terminal</h2>
      <p>
        A pairing code enrols one terminal into a store. It works once and expires after 24 hours.
      </p>
      <form method="post" action="/dashboard/terminals/pairing-code" class="actions">
        ${csrfField(user)} ${storeChoice}
        <button type="submit" class="primary">New pairing code</button>
      </form>
    </section>
    <p class="hint">
      "Waiting" is what the till itself reported with its last request: it is only as fresh as "Last
      seen". A refused document stays on the till, shown there, until it is fixed.
    </p>
    ${dataTable({
      columns: [
        'Terminal',
        'Store',
        'Code prefix',
        'Enrolled',
        'Last seen',
        'Last sale arrived',
        'To sync',
        'Audit',
        'State',
      ],
      rows: terminals.map(terminalRow),
      empty: 'No terminals yet. Create a pairing code and enter it on the till.',
    })}`;
  return dashboardPage({
    title: 'Terminals',
    user,
    body,
    current: 'terminals',
    ...(flash ? { flash } : {}),
  });
}

/** The terminal of a URL, or 404 when it does not exist or belongs to a store the user cannot see. */
async function visibleTerminal(ctx: AppContext, user: DashboardUser, id: string) {
  const terminal = await ctx.db
    .selectFrom('terminals')
    .select(['id', 'name', 'store_id', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!terminal) throw new HttpError(404, 'terminal_not_found', 'There is no such terminal.');
  try {
    await requireVisibleStore(ctx.db, user, terminal.store_id);
  } catch {
    throw new HttpError(404, 'terminal_not_found', 'There is no such terminal.');
  }
  return terminal;
}

export function terminalRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/terminals', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const flash = flashFromQuery(request.query, NOTICES);
    return sendPage(reply, 200, await terminalsPage(ctx, user, flash));
  });

  scope.post('/dashboard/terminals/pairing-code', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const store = await requireVisibleStore(ctx.db, user, formField(request.body, 'storeId'));
    const pairing = await inTransaction(ctx.db, async (trx) => {
      const created = await createPairingCode(trx, store.id, ctx);
      // The code itself is a secret: the record says that one was made, and until when.
      await recordDashboardAction(
        trx,
        {
          user,
          storeId: store.id,
          action: 'terminal.pairing_code',
          subject: store.id,
          detail: { expiresAt: created.expiresAt },
        },
        ctx,
      );
      return created;
    });
    const body = html`<section class="panel" aria-labelledby="code-title">
        <h2 id="code-title">Pairing code for ${store.name}</h2>
        <p class="big-code" data-testid="pairing-code">${pairing.code}</p>
        <p>
          Enter it on the new terminal. It works once and expires
          ${shortDateTime(pairing.expiresAt)}. It is shown only now: note it or pair the terminal
          right away.
        </p>
      </section>
      <p><a href="/dashboard/terminals">Back to terminals</a></p>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'New pairing code', user, body, current: 'terminals' }),
    );
  });

  scope.get('/dashboard/terminals/:id/revoke', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const terminal = await visibleTerminal(ctx, user, request.params.id);
    if (terminal.revoked_at !== null) return reply.redirect('/dashboard/terminals', 303);
    const body = html`<div class="panel">
      <p>
        Revoke <strong>${terminal.name}</strong>? It stops syncing at once and the till locks with a
        message. Its sales and codes stay valid. To use it again, pair it with a new code.
      </p>
      <p>
        Sales it has not sent yet stay on the till and cannot reach the server after this. Check its
        manager screen first if you can.
      </p>
      <form method="post" action="/dashboard/terminals/${terminal.id}/revoke" class="actions">
        ${csrfField(user)}
        <button type="submit" class="danger">Revoke ${terminal.name}</button>
        <a href="/dashboard/terminals">Cancel</a>
      </form>
    </div>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Revoke a terminal', user, body, current: 'terminals' }),
    );
  });

  scope.post('/dashboard/terminals/:id/revoke', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const terminal = await visibleTerminal(ctx, user, request.params.id);
    await inTransaction(ctx.db, async (trx) => {
      if (!(await revokeTerminal(trx, terminal.id, ctx.clock))) return;
      await recordDashboardAction(
        trx,
        {
          user,
          storeId: terminal.store_id,
          action: 'terminal.revoke',
          subject: terminal.id,
          detail: { name: terminal.name },
        },
        ctx,
      );
    });
    // After the commit: ends the terminal's live streams so the till locks now.
    await revokeTerminalNow(ctx, terminal.id);
    return reply.redirect('/dashboard/terminals?done=revoked', 303);
  });
}
