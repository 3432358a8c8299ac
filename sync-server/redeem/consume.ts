import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import type { Db } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { recordEvents, type Actor } from '../entitlements/events.ts';

/**
 * Redeems a code once. The conditional UPDATE is the whole concurrency story: of any number of
 * simultaneous requests exactly one matches `state = 'known'`; on PostgreSQL the row lock makes
 * the others re-check and miss. The seq and the event are written only by the winner, so losers
 * leave no trace. Returns the store to notify, or null if the code was not redeemable.
 */
export function consumeEntitlement(
  db: Db,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes; readonly actor: Actor },
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock);
    const won = await trx
      .updateTable('entitlements')
      .set({ state: 'consumed', consumed_at: now, updated_at: now })
      .where('code', '=', code)
      .where('state', '=', 'known')
      .returning('store_id')
      .executeTakeFirst();
    if (!won) return null;
    const seq = await nextSeq(trx);
    await trx.updateTable('entitlements').set({ seq }).where('code', '=', code).execute();
    await recordEvents(
      trx,
      [
        {
          code,
          from: 'known',
          to: 'consumed',
          actor: deps.actor,
          reason: 'redeemed on the portal',
          at: now,
        },
      ],
      deps.randomBytes,
    );
    return won.store_id;
  });
}
