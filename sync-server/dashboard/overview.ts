import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MinorUnits, formatMoney } from '../../shared/money.ts';
import type { Db } from '../db/schema.ts';
import type { AppContext, Clock } from '../deps.ts';
import { html } from '../redeem/html.ts';
import { dataTable } from './html-parts.ts';
import { dashboardPage, sendPage, shortDateTime } from './layout.ts';
import { requireDashboardUser } from './session.ts';
import { terminalStatuses } from './terminal-status.ts';
import { storesVisibleTo, type VisibleStore } from './visible-stores.ts';

/**
 * Only the total is read, not the whole Sale schema: bodies are stored as accepted, and a sale
 * written under an older protocol (before staffId existed) must still count.
 */
const SaleTotal = z.object({ total: MinorUnits });

export type StoreDay = {
  readonly store: VisibleStore;
  readonly count: number;
  /** Minor units of the store's currency. */
  readonly total: number;
};

/** Midnight UTC of the clock's day: the dashboard speaks UTC everywhere. */
export function startOfUtcDay(now: Date): string {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  ).toISOString();
}

/**
 * Today's sales per store, by the sale's own time (the device clock: the only record of when it
 * was sold; a sale made offline yesterday and synced today counts for yesterday).
 */
export async function todaysSales(
  db: Db,
  stores: readonly VisibleStore[],
  clock: Clock,
): Promise<StoreDay[]> {
  const since = startOfUtcDay(clock());
  const days: StoreDay[] = [];
  for (const store of stores) {
    const rows = await db
      .selectFrom('sales')
      .select('body')
      .where('store_id', '=', store.id)
      .where('created_at', '>=', since)
      .execute();
    let total = 0;
    for (const row of rows) total += SaleTotal.parse(JSON.parse(row.body)).total;
    days.push({ store, count: rows.length, total });
  }
  return days;
}

export function overviewRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const stores = await storesVisibleTo(ctx.db, user);
    const days = await todaysSales(ctx.db, stores, ctx.clock);
    const terminals = await terminalStatuses(
      ctx.db,
      stores.map((store) => store.id),
      ctx.clock,
    );
    const troubled = terminals.filter((terminal) => terminal.problems.length > 0);
    const cards = days.map(
      (day) =>
        html`<div class="card">
          <div class="label">${day.store.name}: sales today</div>
          <div class="value">${formatMoney(day.total, day.store.currency)}</div>
          <div class="label">${day.count} sale${day.count === 1 ? '' : 's'}</div>
        </div>`,
    );
    const problemRows = troubled.map(
      (terminal) =>
        html`<tr>
          <td><a href="/dashboard/terminals#${terminal.id}">${terminal.name}</a></td>
          <td>${terminal.storeName}</td>
          <td>${shortDateTime(terminal.lastSeenAt)}</td>
          <td>${terminal.problems.map((problem) => html`<div>${problem}</div>`)}</td>
        </tr>`,
    );
    const body = html`<p class="hint">
        Times are UTC. Today began ${shortDateTime(startOfUtcDay(ctx.clock()))}.
      </p>
      <section aria-labelledby="today">
        <h2 id="today">Today</h2>
        ${
          cards.length === 0
            ? html`<p class="empty">You have no stores yet.</p>`
            : html`<div class="cards">${cards}</div>`
        }
        <p>
          <a href="/dashboard/sales">Search sales</a> · <a href="/dashboard/reports">Reports</a>
        </p>
      </section>
      <section aria-labelledby="attention">
        <h2 id="attention">Terminals that need attention</h2>
        ${dataTable({
          columns: ['Terminal', 'Store', 'Last seen', 'Problem'],
          rows: problemRows,
          empty: `All ${terminals.length} terminal${terminals.length === 1 ? ' is' : 's are'} fine.`,
        })}
        <p>
          <a href="/dashboard/terminals">All terminals</a> · <a href="/dashboard/audit">Audit</a>
        </p>
      </section>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Overview', user, body, current: 'overview' }),
    );
  });
}
