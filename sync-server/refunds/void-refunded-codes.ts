import type { Transaction } from 'kysely';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { Database } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { cancelProvisionalClaimsForVoidedSale } from '../entitlements/provisional-claims.ts';
import { spentGiftCards } from '../gift-cards/ledger.ts';
import { voidOneCode } from '../voids/void-sale-codes.ts';

export const REFUNDED_REASON = 'refunded';

/** Left alone: expired or already voided codes owe nothing more. */
const SKIPPED_STATES = ['expired', 'voided'] as const;

/**
 * The effect of a refund on its lines' codes, in the caller's transaction: as for a void
 * (voids/void-sale-codes.ts, which covers a whole sale) each code still usable becomes voided
 * through a guarded transition, its holder is owed a notice and waiting provisional claims end
 * with the customer told. A consumed code stays consumed — the customer had what was paid for —
 * and is returned in `used`, so the refund can be flagged for the manager. A gift card that has
 * paid for something is voided (its balance must not keep spending) and is `used` too: the
 * refund handed back money already spent with it.
 */
export async function voidRefundedCodes(
  trx: Transaction<Database>,
  target: {
    readonly codes: readonly string[];
    readonly terminalId: string;
    /** The cashier's reason: what the holder's void notice quotes. */
    readonly why: string;
  },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<{ voided: string[]; used: string[] }> {
  if (target.codes.length === 0) return { voided: [], used: [] };
  const rows = await trx
    .selectFrom('entitlements')
    .select(['code', 'state', 'holder_account_id'])
    .where('code', 'in', [...target.codes])
    .orderBy('code')
    .execute();
  const voided: string[] = [];
  const spent = await spentGiftCards(trx, target.codes);
  const used: string[] = rows.filter((row) => spent.has(row.code)).map((row) => row.code);
  for (const row of rows) {
    const from = EntitlementState.parse(row.state);
    if (from === 'consumed') {
      used.push(row.code);
      continue;
    }
    if ((SKIPPED_STATES as readonly string[]).includes(from)) continue;
    const won = await voidOneCode(
      trx,
      {
        ...row,
        from,
        reason: REFUNDED_REASON,
        voidReason: `Refunded: ${target.why}`,
        actor: `terminal:${target.terminalId}`,
      },
      deps,
    );
    if (!won) {
      // Changed under us: only a code consumed at this very moment matters to the manager.
      const now = await trx
        .selectFrom('entitlements')
        .select('state')
        .where('code', '=', row.code)
        .executeTakeFirst();
      if (now?.state === 'consumed') used.push(row.code);
      continue;
    }
    voided.push(row.code);
  }
  await cancelProvisionalClaimsForVoidedSale(trx, target.codes, deps);
  return { voided, used };
}

/** What the manager reads on a refund that met a used code. */
export function usedCodeFlag(used: readonly string[], takenOffline: boolean): string {
  const shown = used.map(formatCode).join(', ');
  const subject = used.length === 1 ? `Code ${shown} was` : `Codes ${shown} were`;
  return takenOffline
    ? `${subject} used before this refund taken offline`
    : `${subject} used while this refund was being taken`;
}
