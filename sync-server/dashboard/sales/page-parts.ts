import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ENTITLEMENT_STATE_LABELS, EntitlementState } from '../../../shared/schemas/entitlement.ts';
import type { AppContext } from '../../deps.ts';
import { describeIssues } from '../../http/errors.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { requireDashboardUser, type DashboardUser } from '../session.ts';
import { storesVisibleTo, type VisibleStore } from '../visible-stores.ts';

/** What every data page starts with: the signed-in user and the stores they may see. */
export type Viewer = {
  readonly user: DashboardUser;
  readonly stores: readonly VisibleStore[];
  readonly storeIds: readonly string[];
};

export async function viewerOf(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  request: FastifyRequest,
): Promise<Viewer> {
  const user = await requireDashboardUser(ctx, request);
  const stores = await storesVisibleTo(ctx.db, user);
  return { user, stores, storeIds: stores.map((store) => store.id) };
}

/** A query string from the filters that are set, for "next page" and "download" links. */
export function queryString(values: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Parses a query with `schema`; on failure the sentence to show above the form instead. */
export function parseQuery<T>(
  schema: z.ZodType<T>,
  query: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(query ?? {});
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: `Check the search: ${describeIssues(parsed.error)}.` };
}

const STATE_TONE: Record<EntitlementState, string> = {
  issued: 'warn',
  known: 'ok',
  claimed: 'ok',
  onboarded: 'ok',
  active: 'ok',
  consumed: 'off',
  expired: 'off',
  voided: 'bad',
};

export function stateBadge(state: string): SafeHtml {
  const parsed = EntitlementState.safeParse(state);
  if (!parsed.success) return html`<span class="badge">${state}</span>`;
  return html`<span class="badge ${STATE_TONE[parsed.data]}"
    >${ENTITLEMENT_STATE_LABELS[parsed.data]}</span
  >`;
}

/** A store picker for admins who see several stores; nothing for a manager of one. */
export function storeSelect(
  stores: readonly VisibleStore[],
  selected: string | undefined,
): SafeHtml | null {
  if (stores.length < 2) return null;
  return html`<label
    >Store
    <select name="store">
      <option value="">All stores</option>
      ${stores.map(
        (store) =>
          html`<option value="${store.id}" ${store.id === selected ? html`selected` : null}>
            ${store.name}
          </option>`,
      )}
    </select></label
  >`;
}
