import type { DbOrTrx } from '../../db/schema.ts';
import { dashboardActionsOn } from '../actions.ts';
import { shortDateTime } from '../layout.ts';
import { normaliseCodeQuery } from '../sales/sale-filters.ts';
import { nonEmpty } from '../sales/sales-query.ts';
import { staffNames } from '../sales/sale-detail.ts';
import { entitlementSubject } from './entitlement-actions.ts';

export type HistoryEntry = {
  readonly at: string;
  /** "known → claimed", or a dashboard action's name. */
  readonly what: string;
  readonly who: string;
  readonly why: string;
};

export type EntitlementView = {
  readonly code: string;
  readonly state: string;
  readonly storeId: string;
  readonly productName: string;
  readonly kind: string;
  readonly saleId: string;
  readonly receiptNumber: string;
  readonly expiresAt: string | null;
  readonly claimedAt: string | null;
  readonly consumedAt: string | null;
  readonly givenTo: string | null;
  readonly holderEmail: string | null;
  readonly voidReason: string | null;
  /** Oldest first: state changes and what managers did, in one list. */
  readonly history: readonly HistoryEntry[];
};

const ACTION_LABELS: Record<string, string> = {
  'entitlement.void': 'Voided on the dashboard',
  'entitlement.extend': 'Expiry extended',
};

/** One code of the user's stores with its whole history, or undefined. */
export async function entitlementView(
  db: DbOrTrx,
  storeIds: readonly string[],
  code: string,
): Promise<EntitlementView | undefined> {
  const row = await db
    .selectFrom('entitlements')
    .innerJoin('sales', 'sales.id', 'entitlements.sale_id')
    .leftJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
    .select([
      'entitlements.code',
      'entitlements.state',
      'entitlements.store_id',
      'entitlements.product_name',
      'entitlements.kind',
      'entitlements.sale_id',
      'entitlements.expires_at',
      'entitlements.claimed_at',
      'entitlements.consumed_at',
      'entitlements.given_to',
      'entitlements.void_reason',
      'sales.receipt_number',
      'accounts.email as holder_email',
    ])
    .where('entitlements.code', '=', normaliseCodeQuery(code))
    .where('entitlements.store_id', 'in', nonEmpty(storeIds))
    .executeTakeFirst();
  if (!row) return undefined;
  const events = await db
    .selectFrom('entitlement_events')
    .selectAll()
    .where('code', '=', row.code)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const actions = await dashboardActionsOn(db, entitlementSubject(row.code));
  const staffIds = [
    ...events.flatMap((e) => (e.actor.startsWith('staff:') ? [e.actor.slice(6)] : [])),
    ...actions.map((a) => a.staffId),
  ];
  const names = await staffNames(db, [...new Set(staffIds)]);
  const terminalIds = events.flatMap((e) =>
    e.actor.startsWith('terminal:') ? [e.actor.slice(9)] : [],
  );
  const terminals =
    terminalIds.length === 0
      ? []
      : await db
          .selectFrom('terminals')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(terminalIds)])
          .execute();
  const terminalNames = new Map(terminals.map((t) => [t.id, t.name]));
  const actorName = (actor: string) => {
    if (actor.startsWith('staff:')) return names.get(actor.slice(6)) ?? actor;
    if (actor.startsWith('terminal:')) {
      const name = terminalNames.get(actor.slice(9));
      return name === undefined ? actor : `Terminal ${name}`;
    }
    if (actor.startsWith('customer:')) return 'The customer';
    return actor === 'system' ? 'The server' : actor;
  };
  const history: HistoryEntry[] = [
    ...events.map((event) => ({
      at: event.at,
      what:
        event.from_state === event.to_state
          ? `${event.to_state} (handed over)`
          : `${event.from_state} → ${event.to_state}`,
      who: actorName(event.actor),
      why: event.reason,
    })),
    ...actions.map((action) => ({
      at: action.at,
      what: ACTION_LABELS[action.action] ?? action.action,
      who: names.get(action.staffId) ?? action.staffId,
      why: describeDetail(action.detail),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    code: row.code,
    state: row.state,
    storeId: row.store_id,
    productName: row.product_name,
    kind: row.kind,
    saleId: row.sale_id,
    receiptNumber: row.receipt_number,
    expiresAt: row.expires_at,
    claimedAt: row.claimed_at,
    consumedAt: row.consumed_at,
    givenTo: row.given_to,
    holderEmail: row.holder_email,
    voidReason: row.void_reason,
    history,
  };
}

function describeDetail(detail: Record<string, unknown>): string {
  // Expiries are instants: shown the way the rest of the page shows times.
  const text = (key: string) => {
    const value = detail[key];
    if (typeof value !== 'string') return '';
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? shortDateTime(value) : value;
  };
  const change = text('from') || text('to') ? `${text('from') || '—'} → ${text('to')}. ` : '';
  return `${change}${text('reason')}`.trim();
}

export type EntitlementHit = {
  readonly code: string;
  readonly state: string;
  readonly productName: string;
  readonly receiptNumber: string;
  readonly saleId: string;
  readonly expiresAt: string | null;
};

export const ENTITLEMENT_SEARCH_LIMIT = 50;

/** The codes of the user's stores as a list shows them (search hits, recent changes), newest first. */
function hitsOf(db: DbOrTrx, storeIds: readonly string[]) {
  return db
    .selectFrom('entitlements')
    .innerJoin('sales', 'sales.id', 'entitlements.sale_id')
    .select([
      'entitlements.code',
      'entitlements.state',
      'entitlements.product_name',
      'entitlements.sale_id',
      'entitlements.expires_at',
      'sales.receipt_number',
    ])
    .where('entitlements.store_id', 'in', nonEmpty(storeIds))
    .orderBy('entitlements.seq', 'desc');
}

function toHit(row: {
  code: string;
  state: string;
  product_name: string;
  receipt_number: string;
  sale_id: string;
  expires_at: string | null;
}): EntitlementHit {
  return {
    code: row.code,
    state: row.state,
    productName: row.product_name,
    receiptNumber: row.receipt_number,
    saleId: row.sale_id,
    expiresAt: row.expires_at,
  };
}

/**
 * Codes matching what a manager typed: the start of a code (hyphens and case forgiven), a
 * receipt number (all its codes), or the e-mail the code was given to or is held by.
 */
export async function searchEntitlements(
  db: DbOrTrx,
  storeIds: readonly string[],
  q: string,
): Promise<EntitlementHit[]> {
  const text = q.trim();
  if (text === '') return [];
  const code = normaliseCodeQuery(text);
  const lower = text.toLowerCase();
  const rows = await hitsOf(db, storeIds)
    .leftJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
    .where((eb) => {
      const matches = [
        eb('sales.receipt_number', '=', text.toUpperCase()),
        eb('entitlements.given_to', '=', lower),
        eb('accounts.email', '=', lower),
      ];
      // A code's start, from four symbols on (fewer would match half the store).
      if (/^[0-9A-Z]{4,}$/.test(code)) matches.push(eb('entitlements.code', 'like', `${code}%`));
      return eb.or(matches);
    })
    .limit(ENTITLEMENT_SEARCH_LIMIT)
    .execute();
  return rows.map(toHit);
}

/** The codes that changed last in the user's stores: what the page shows before a search. */
export async function recentlyChanged(
  db: DbOrTrx,
  storeIds: readonly string[],
  limit = 20,
): Promise<EntitlementHit[]> {
  const rows = await hitsOf(db, storeIds).limit(limit).execute();
  return rows.map(toHit);
}
