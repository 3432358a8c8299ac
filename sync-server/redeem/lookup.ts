import { verifyCodeMac, type ParsedCode } from '../../shared/code/entitlement-code.ts';
import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { AppContext } from '../deps.ts';
import type { DbOrTrx, ProvisionalClaimState } from '../db/schema.ts';
import { codeKeyContext } from '../enrol/enrol-terminal.ts';
import { unseal } from '../keys/seal.ts';
import { giftCardBalanceText } from '../gift-cards/ledger.ts';
import { parseStoredTemplate } from '../templates/templates.ts';
import { precompiled } from '../db/precompiled.ts';
import type { EntitlementView } from './pages.ts';

const UNUSED_KEY = new Uint8Array(32);

export type CodeLookup =
  | { readonly kind: 'unknown' }
  /** Genuine (its MAC verifies under a terminal's key) but its sale has not reached us yet. */
  | {
      readonly kind: 'pending';
      readonly code: string;
      readonly storeId: string;
      readonly terminalId: string;
      /** Its provisional claim, if any: waiting, or cancelled (not renewed); either way not claimable. */
      readonly claim: ProvisionalClaimState | null;
    }
  | { readonly kind: 'known'; readonly view: EntitlementView; readonly storeId: string };

/** The code, its store, its product's template and whether it has a ledger (a gift card's). */
const entitlementQuery = (db: DbOrTrx, code: string) =>
  db
    .selectFrom('entitlements')
    .innerJoin('stores', 'stores.id', 'entitlements.store_id')
    .leftJoin('product_templates', 'product_templates.product_id', 'entitlements.product_id')
    .select([
      'entitlements.code',
      'entitlements.product_name',
      'entitlements.state',
      'entitlements.consumed_at',
      'entitlements.store_id',
      'entitlements.product_id',
      'entitlements.expires_at',
      'stores.name as store_name',
      'product_templates.template',
    ])
    // Whether it has a ledger, so every other code costs this one query only.
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('gift_card_ledger')
            .select('gift_card_ledger.id')
            .whereRef('gift_card_ledger.code', '=', 'entitlements.code'),
        )
        .as('has_ledger'),
    )
    .where('entitlements.code', '=', code);

/** entitlementQuery compiled once (the portal's hot read). */
const entitlementRow = precompiled(entitlementQuery, ['\u0000code'] as [string]);

/**
 * A stored code as the portal shows it. One query for the code, its store, its product's
 * template and whether it has a ledger, and for a gift card one more for the ledger: the lookup
 * page is the portal's hot read.
 */
export async function findEntitlement(
  db: DbOrTrx,
  code: string,
): Promise<{ view: EntitlementView; storeId: string } | undefined> {
  const [row] = await entitlementRow(db, code);
  if (!row) return undefined;
  return {
    storeId: row.store_id,
    view: {
      code: row.code,
      productName: row.product_name,
      storeName: row.store_name,
      state: row.state as EntitlementState,
      consumedAt: row.consumed_at,
      balance: row.has_ledger ? await giftCardBalanceText(db, row.code) : null,
      expiresAt: row.expires_at,
      template: row.template === null ? null : parseStoredTemplate(row.product_id, row.template),
    },
  };
}

/**
 * What the portal knows about a well-formed code. The MAC is what lets us say "genuine, wait"
 * instead of "unknown" before the sale syncs (DESIGN invariant 4), without a guess ever
 * looking genuine.
 */
export async function lookupCode(
  ctx: Pick<AppContext, 'db' | 'masterKey'>,
  parsed: ParsedCode,
): Promise<CodeLookup> {
  const known = await findEntitlement(ctx.db, parsed.code);
  if (known) return { kind: 'known', ...known };
  const terminal = await ctx.db
    .selectFrom('terminals')
    .select(['id', 'store_id', 'code_key_enc'])
    .where('code_prefix', '=', parsed.prefix)
    .executeTakeFirst();
  if (!terminal) {
    // Spend the MAC's time anyway, so an unknown prefix and a forged MAC take alike (no oracle).
    await verifyCodeMac(parsed, UNUSED_KEY);
    return { kind: 'unknown' };
  }
  const key = unseal(ctx.masterKey, terminal.code_key_enc, codeKeyContext(terminal.id));
  if (!(await verifyCodeMac(parsed, key))) return { kind: 'unknown' };
  const claim = await ctx.db
    .selectFrom('provisional_claims')
    .select('state')
    .where('code', '=', parsed.code)
    .executeTakeFirst();
  return {
    kind: 'pending',
    code: parsed.code,
    storeId: terminal.store_id,
    terminalId: terminal.id,
    claim: claim?.state ?? null,
  };
}
