import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { DbOrTrx } from '../db/schema.ts';
import type { AccountItem } from './pages.ts';

/** What an account holds (claimed to it) and bought (its e-mail on the sale), newest first. */
export async function accountItems(db: DbOrTrx, accountId: string): Promise<AccountItem[]> {
  const rows = await db
    .selectFrom('entitlements')
    .innerJoin('stores', 'stores.id', 'entitlements.store_id')
    .select([
      'entitlements.code',
      'entitlements.product_name',
      'entitlements.state',
      'entitlements.claimed_at',
      'entitlements.holder_account_id',
      'entitlements.buyer_account_id',
      'entitlements.updated_at',
      'stores.name as store_name',
    ])
    .where((eb) =>
      eb.or([
        eb('entitlements.holder_account_id', '=', accountId),
        eb('entitlements.buyer_account_id', '=', accountId),
      ]),
    )
    .orderBy('entitlements.updated_at', 'desc')
    .orderBy('entitlements.code')
    .limit(500)
    .execute();
  return rows.map((row) => ({
    code: row.code,
    productName: row.product_name,
    storeName: row.store_name,
    state: row.state as EntitlementState,
    claimedAt: row.claimed_at,
    held: row.holder_account_id === accountId,
    bought: row.buyer_account_id === accountId,
  }));
}
