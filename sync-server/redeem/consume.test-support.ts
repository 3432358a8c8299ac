import type { Clock, RandomBytes } from '../deps.ts';
import type { Db } from '../db/schema.ts';
import type { Actor } from '../entitlements/events.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { inTransaction } from '../db/transaction.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

/**
 * Redeems a code once, as the portal's redemption queue does (entitlements/redeem-queue.ts, which writes a
 * group of them in one statement), for tests that need a code already redeemed; whom to notify,
 * or null if it was not redeemable.
 */
export function consumeEntitlement(
  db: Db,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes; readonly actor: Actor },
): Promise<StatusOwner | null> {
  return inTransaction(db, (trx) =>
    transitionEntitlement(
      trx,
      {
        code,
        from: 'known',
        to: 'consumed',
        set: (now) => ({ consumed_at: now }),
        actor: deps.actor,
        reason: 'redeemed on the portal',
      },
      deps,
    ),
  );
}
