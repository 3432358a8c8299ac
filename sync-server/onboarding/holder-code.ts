import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import { isTerminal } from '../../shared/lifecycle/transition.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { templateOf } from '../templates/templates.ts';
import {
  storedProvisionalOnboarding,
  type StoredProvisionalOnboarding,
} from './provisional-onboarding.ts';
import { needsNothing } from './submission.ts';

/** A code claimed to the signed-in account, as its per-code page shows it. */
export type HeldEntitlement = {
  readonly kind: 'entitlement';
  readonly code: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly productId: string;
  readonly productName: string;
  /** `expired` also when expires_at passed and the sweep has not run yet. */
  readonly state: EntitlementState;
  readonly expiresAt: string | null;
  readonly values: Readonly<Record<string, string>> | null;
  readonly consumedAt: string | null;
  readonly template: ProductTemplate | undefined;
};

/** A product a provisionally claimed code may be for: the holder says which. */
export type ProductChoice = {
  readonly id: string;
  readonly name: string;
  readonly template: ProductTemplate;
};

/** A code claimed before its sale arrived. */
export type HeldProvisional = {
  readonly kind: 'provisional';
  readonly code: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly state: 'waiting' | 'cancelled';
  readonly reason: string | null;
  readonly deadline: string;
  readonly stored: StoredProvisionalOnboarding | null;
  /** The store's active products that ask the holder for something. */
  readonly choices: readonly ProductChoice[];
};

export type HeldCode = HeldEntitlement | HeldProvisional;

/** True once `now` is at or past `expiresAt`. */
export function isPast(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}

async function choicesOf(db: DbOrTrx, storeId: string): Promise<ProductChoice[]> {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'name'])
    .where('store_id', '=', storeId)
    .where('active', '=', 1)
    .orderBy('seq')
    .execute();
  const choices: ProductChoice[] = [];
  for (const row of rows) {
    const template = await templateOf(db, row.id);
    if (template && !needsNothing(template)) choices.push({ ...row, template });
  }
  return choices;
}

/**
 * The code if the account holds it (claimed, or provisionally claimed), else null: a code that
 * does not exist and a code someone else holds look the same (no oracle).
 */
export async function findHeldCode(
  db: DbOrTrx,
  code: string,
  accountId: string,
  now: Date,
): Promise<HeldCode | null> {
  const row = await db
    .selectFrom('entitlements')
    .innerJoin('stores', 'stores.id', 'entitlements.store_id')
    .select([
      'entitlements.code',
      'entitlements.store_id',
      'entitlements.product_id',
      'entitlements.product_name',
      'entitlements.state',
      'entitlements.expires_at',
      'entitlements.onboarding',
      'entitlements.consumed_at',
      'stores.name as store_name',
    ])
    .where('entitlements.code', '=', code)
    .where('entitlements.holder_account_id', '=', accountId)
    .executeTakeFirst();
  if (row) {
    const stored = row.state as EntitlementState;
    const state = !isTerminal(stored) && isPast(row.expires_at, now) ? 'expired' : stored;
    return {
      kind: 'entitlement',
      code: row.code,
      storeId: row.store_id,
      storeName: row.store_name,
      productId: row.product_id,
      productName: row.product_name,
      state,
      expiresAt: row.expires_at,
      values:
        row.onboarding === null ? null : (JSON.parse(row.onboarding) as Record<string, string>),
      consumedAt: row.consumed_at,
      template: await templateOf(db, row.product_id),
    };
  }
  const claim = await db
    .selectFrom('provisional_claims')
    .innerJoin('stores', 'stores.id', 'provisional_claims.store_id')
    .select([
      'provisional_claims.code',
      'provisional_claims.store_id',
      'provisional_claims.state',
      'provisional_claims.reason',
      'provisional_claims.expires_at',
      'provisional_claims.onboarding',
      'stores.name as store_name',
    ])
    .where('provisional_claims.code', '=', code)
    .where('provisional_claims.account_id', '=', accountId)
    .where('provisional_claims.state', 'in', ['waiting', 'cancelled'])
    .executeTakeFirst();
  if (!claim) return null;
  return {
    kind: 'provisional',
    code: claim.code,
    storeId: claim.store_id,
    storeName: claim.store_name,
    state: claim.state === 'waiting' ? 'waiting' : 'cancelled',
    reason: claim.reason,
    deadline: claim.expires_at,
    stored: storedProvisionalOnboarding(claim.onboarding),
    choices: claim.state === 'waiting' ? await choicesOf(db, claim.store_id) : [],
  };
}
