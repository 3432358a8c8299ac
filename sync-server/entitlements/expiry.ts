import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { Db } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { transitionEntitlement } from './transition.ts';
import { inTransaction } from '../db/transaction.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

export const VALIDITY_ENDED = 'validity ended';
/** States a code can expire from: every state before consumed that is not already final. */
const EXPIRABLE: readonly EntitlementState[] = ['known', 'claimed', 'onboarded', 'active'];
/** Codes per sweep transaction: a backlog is worked off over several sweeps. */
const BATCH = 500;

/**
 * Moves codes past their expires_at to `expired` (actor 'system'), each with a guarded
 * transition, so a sweep racing a redemption or another sweep changes a code once. Returns the
 * stores whose codes changed, for the caller to notify. Codes past expiry are already refused
 * everywhere by their date; the sweep makes the state say so, for terminals and reports.
 */
export async function expireDueEntitlements(
  db: Db,
  clock: Clock,
  randomBytes: RandomBytes,
): Promise<{ readonly expired: string[]; readonly owners: StatusOwner[] }> {
  const now = isoNow(clock);
  return inTransaction(db, async (trx) => {
    const due = await trx
      .selectFrom('entitlements')
      .select(['code', 'state'])
      .where('state', 'in', [...EXPIRABLE])
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(BATCH)
      .execute();
    const expired: string[] = [];
    /** One per terminal whose codes expired. */
    const owners = new Map<string, StatusOwner>();
    for (const row of due) {
      const owner = await transitionEntitlement(
        trx,
        {
          code: row.code,
          from: row.state as EntitlementState,
          to: 'expired',
          actor: 'system',
          reason: VALIDITY_ENDED,
        },
        { clock, randomBytes },
      );
      if (owner !== null) {
        expired.push(row.code);
        owners.set(owner.terminalId, owner);
      }
    }
    return { expired, owners: [...owners.values()] };
  });
}
