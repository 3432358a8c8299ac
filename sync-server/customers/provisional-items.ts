import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { formatDateTime, html, type SafeHtml } from '../redeem/html.ts';

/** A provisional claim of the account that has not become an ordinary claim (yet, or ever). */
export type ProvisionalItem = {
  readonly code: string;
  readonly storeName: string;
  readonly state: 'waiting' | 'cancelled';
  readonly claimedAt: string;
  readonly expiresAt: string;
  readonly reason: string | null;
};

/** Waiting and cancelled claims, newest first; activated ones are listed as entitlements. */
export async function provisionalItems(db: DbOrTrx, accountId: string): Promise<ProvisionalItem[]> {
  const rows = await db
    .selectFrom('provisional_claims')
    .innerJoin('stores', 'stores.id', 'provisional_claims.store_id')
    .select([
      'provisional_claims.code',
      'provisional_claims.state',
      'provisional_claims.created_at',
      'provisional_claims.expires_at',
      'provisional_claims.reason',
      'stores.name as store_name',
    ])
    .where('provisional_claims.account_id', '=', accountId)
    .where('provisional_claims.state', 'in', ['waiting', 'cancelled'])
    .orderBy('provisional_claims.created_at', 'desc')
    .orderBy('provisional_claims.code')
    .limit(500)
    .execute();
  return rows.map((row) => ({
    code: row.code,
    storeName: row.store_name,
    state: row.state === 'waiting' ? 'waiting' : 'cancelled',
    claimedAt: row.created_at,
    expiresAt: row.expires_at,
    reason: row.reason,
  }));
}

export function provisionalCard(item: ProvisionalItem): SafeHtml {
  const status =
    item.state === 'waiting'
      ? html`Claimed — waiting for the shop's sale to arrive`
      : html`Claim cancelled: ${item.reason ?? 'the sale did not arrive'}`;
  const note =
    item.state === 'waiting'
      ? `Claimed by you on ${formatDateTime(item.claimedAt)}; cancelled if the sale has not arrived by ${formatDateTime(item.expiresAt)}.`
      : 'Ask the shop about your purchase; keep your receipt.';
  return html`<li class="card" data-code="${item.code}" data-provisional="${item.state}">
    <dl>
      <dt>Code</dt>
      <dd class="code">${formatCode(item.code)}</dd>
      <dt>Shop</dt>
      <dd>${item.storeName}</dd>
      <dt>Status</dt>
      <dd>${status}</dd>
    </dl>
    <p class="muted">${note}</p>
    ${
      item.state === 'waiting'
        ? html`<p>
            <a href="/account/codes/${item.code}">Open this code — you can register it now</a>
          </p>`
        : null
    }
  </li>`;
}
