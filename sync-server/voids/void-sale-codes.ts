import type { Transaction } from 'kysely';
import { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { Database } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { cancelProvisionalClaimsForVoidedSale } from '../entitlements/provisional-claims.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { enqueueVoidNotice } from '../mail/void-notice-email.ts';

/** States a void leaves alone: the code was used or ran out before the void. */
const FINAL_STATES = ['consumed', 'expired', 'voided'] as const;

/**
 * The effect of a void on a stored sale, in the caller's transaction: every code not consumed,
 * expired or voided becomes voided (a guarded transition each, so a code consumed at the same
 * moment stays consumed), waiting provisional claims of the sale's codes are cancelled with the
 * customer told, and each account holding a voided code is owed a notice. A voided gift card's
 * ledger refuses spends from then on (gift-cards/ledger.ts). Returns the codes voided.
 */
export async function voidSaleCodes(
  trx: Transaction<Database>,
  target: { readonly saleId: string; readonly terminalId: string; readonly reason: string },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<string[]> {
  const rows = await trx
    .selectFrom('entitlements')
    .select(['code', 'state', 'holder_account_id'])
    .where('sale_id', '=', target.saleId)
    .orderBy('code')
    .execute();
  const voided: string[] = [];
  for (const row of rows) {
    const from = EntitlementState.parse(row.state);
    if ((FINAL_STATES as readonly string[]).includes(from)) continue;
    const won = await transitionEntitlement(
      trx,
      {
        code: row.code,
        from,
        to: 'voided',
        set: () => ({ void_reason: target.reason }),
        actor: `terminal:${target.terminalId}`,
        reason: target.reason,
      },
      deps,
    );
    if (won === null) continue;
    voided.push(row.code);
    if (row.holder_account_id !== null) await enqueueVoidNotice(trx, row.code, deps);
  }
  await cancelProvisionalClaimsForVoidedSale(
    trx,
    rows.map((row) => row.code),
    deps,
  );
  return voided;
}
