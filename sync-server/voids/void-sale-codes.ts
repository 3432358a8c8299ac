import type { Transaction } from 'kysely';
import { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { Database } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { cancelProvisionalClaimsForVoidedSale } from '../entitlements/provisional-claims.ts';
import type { Actor } from '../entitlements/events.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { enqueueVoidNotice } from '../mail/void-notice-email.ts';

/** States a void leaves alone: the code was used or ran out before the void. */
const FINAL_STATES = ['consumed', 'expired', 'voided'] as const;

/**
 * Voids one code whose state was just read as `from`, in the caller's transaction: a guarded
 * transition (a code redeemed at the same moment stays redeemed; then false), the reason kept on
 * the code, and a notice owed to its holder (through the outbox). Every void goes through here:
 * a sale's void, a refund's lines, a manager's void on the dashboard.
 */
export async function voidOneCode(
  trx: Transaction<Database>,
  code: {
    readonly code: string;
    readonly from: EntitlementState;
    readonly holder_account_id: string | null;
    /** Why, in the code's history. */
    readonly reason: string;
    /** What the code itself shows as its void reason, when it says more than `reason`. */
    readonly voidReason?: string;
    readonly actor: Actor;
  },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<boolean> {
  const won = await transitionEntitlement(
    trx,
    {
      code: code.code,
      from: code.from,
      to: 'voided',
      set: () => ({ void_reason: code.voidReason ?? code.reason }),
      actor: code.actor,
      reason: code.reason,
    },
    deps,
  );
  if (won === null) return false;
  if (code.holder_account_id !== null) await enqueueVoidNotice(trx, code.code, deps);
  return true;
}

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
    const won = await voidOneCode(
      trx,
      { ...row, from, reason: target.reason, actor: `terminal:${target.terminalId}` },
      deps,
    );
    if (won) voided.push(row.code);
  }
  await cancelProvisionalClaimsForVoidedSale(
    trx,
    rows.map((row) => row.code),
    deps,
  );
  return voided;
}
