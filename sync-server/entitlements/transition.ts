import type { Transaction, Updateable } from 'kysely';
import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import { canTransition } from '../../shared/schemas/entitlement.ts';
import type { Database, EntitlementsTable } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { isoNow } from '../deps.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';
import { recordEvents, type Actor } from './events.ts';

/**
 * Moves one code from `from` to `to` with a guarded UPDATE (`WHERE state = from`): of any number
 * of simultaneous requests exactly one matches; on PostgreSQL the row lock makes the others
 * re-check and miss. Only the winner takes a new seq (so terminals pull the change) and records
 * the event. Returns whom to notify (the code's store and the terminal that sold it), or null
 * when the code was not in `from`.
 */
export async function transitionEntitlement(
  trx: Transaction<Database>,
  change: {
    readonly code: string;
    readonly from: EntitlementState;
    readonly to: EntitlementState;
    readonly set?: (now: string) => Updateable<EntitlementsTable>;
    readonly actor: Actor;
    readonly reason: string;
  },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<StatusOwner | null> {
  if (!canTransition(change.from, change.to)) {
    throw new Error(`An entitlement cannot go from ${change.from} to ${change.to}.`);
  }
  const now = isoNow(deps.clock);
  const won = await trx
    .updateTable('entitlements')
    .set({ ...change.set?.(now), state: change.to, updated_at: now })
    .where('code', '=', change.code)
    .where('state', '=', change.from)
    .returning(['store_id', 'terminal_id'])
    .executeTakeFirst();
  if (!won) return null;
  const seq = await nextSeq(trx);
  await trx.updateTable('entitlements').set({ seq }).where('code', '=', change.code).execute();
  await recordEvents(
    trx,
    [
      {
        code: change.code,
        from: change.from,
        to: change.to,
        actor: change.actor,
        reason: change.reason,
        at: now,
      },
    ],
    deps.randomBytes,
  );
  return { storeId: won.store_id, terminalId: won.terminal_id };
}
