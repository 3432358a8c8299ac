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
      'entitlements.sale_id',
      'entitlements.product_id',
      'entitlements.product_name',
      'entitlements.state',
      'entitlements.claimed_at',
      'entitlements.holder_account_id',
      'entitlements.buyer_account_id',
      'entitlements.given_to',
      'entitlements.given_at',
      'entitlements.gift_send_on',
      'entitlements.void_reason',
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
    saleId: row.sale_id,
    productId: row.product_id,
    productName: row.product_name,
    storeName: row.store_name,
    state: row.state as EntitlementState,
    claimedAt: row.claimed_at,
    held: row.holder_account_id === accountId,
    heldByAnyone: row.holder_account_id !== null,
    bought: row.buyer_account_id === accountId,
    givenTo: row.given_to,
    givenAt: row.given_at,
    giftSendOn: row.gift_send_on,
    voidReason: row.void_reason,
  }));
}

/** A bought code the buyer may still give: nobody claimed it and it was not given before. */
export function isFreeToGive(item: AccountItem): boolean {
  return item.bought && item.state === 'known' && !item.heldByAnyone && item.givenTo === null;
}

/** A claimed code its holder may hand on, before registering anything on it. */
export function isTransferable(item: AccountItem): boolean {
  return item.held && item.state === 'claimed';
}

/** The buyer's free codes grouped by sale and product, in code order: one bulk form each. */
export function freeGroups(items: readonly AccountItem[]): {
  saleId: string;
  productId: string;
  productName: string;
  storeName: string;
  codes: string[];
}[] {
  const groups = new Map<
    string,
    { saleId: string; productId: string; productName: string; storeName: string; codes: string[] }
  >();
  for (const item of items.filter(isFreeToGive)) {
    const key = `${item.saleId}\u0000${item.productId}`;
    const group = groups.get(key) ?? {
      saleId: item.saleId,
      productId: item.productId,
      productName: item.productName,
      storeName: item.storeName,
      codes: [],
    };
    group.codes.push(item.code);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({ ...group, codes: group.codes.sort() }));
}
