import type { Db } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { templateOf } from '../templates/templates.ts';
import { inTransaction } from '../db/transaction.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

export const USED_AT_COUNTER = 'used at the counter';

export type StaffConsumeOutcome =
  | {
      readonly kind: 'consumed';
      readonly consumedAt: string;
      /** The code's store and the terminal that sold it, which may be another till. */
      readonly owner: StatusOwner;
    }
  | { readonly kind: 'already_used'; readonly consumedAt: string | null }
  /** Unknown here, or another store's code: alike, so a till learns nothing about other stores. */
  | { readonly kind: 'not_found' }
  | { readonly kind: 'gift_card' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'voided' }
  | { readonly kind: 'not_active'; readonly state: string };

/**
 * Staff mark an active voucher or ticket used: active → consumed with the guarded transition,
 * so of any number of simultaneous requests exactly one wins and records the event; the others
 * read the winner's consumed_at and say when it was used.
 */
export function consumeAtCounter(
  db: Db,
  input: { readonly code: string; readonly storeId: string; readonly terminalId: string },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<StaffConsumeOutcome> {
  return inTransaction(db, async (trx): Promise<StaffConsumeOutcome> => {
    const read = () =>
      trx
        .selectFrom('entitlements')
        .select(['store_id', 'state', 'consumed_at', 'expires_at', 'product_id'])
        .where('code', '=', input.code)
        .executeTakeFirst();
    const row = await read();
    if (row?.store_id !== input.storeId) return { kind: 'not_found' };
    if (row.state === 'consumed') return { kind: 'already_used', consumedAt: row.consumed_at };
    if (row.state === 'voided') return { kind: 'voided' };
    const now = deps.clock();
    if (
      row.state === 'expired' ||
      (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime())
    ) {
      return { kind: 'expired' };
    }
    if ((await templateOf(trx, row.product_id))?.kind === 'gift_card') return { kind: 'gift_card' };
    if (row.state !== 'active') return { kind: 'not_active', state: row.state };
    const owner = await transitionEntitlement(
      trx,
      {
        code: input.code,
        from: 'active',
        to: 'consumed',
        set: (at) => ({ consumed_at: at }),
        actor: `terminal:${input.terminalId}`,
        reason: USED_AT_COUNTER,
      },
      deps,
    );
    if (owner === null) {
      // Lost to a simultaneous request (PostgreSQL): say what the winner did.
      const after = await read();
      return { kind: 'already_used', consumedAt: after?.consumed_at ?? null };
    }
    return { kind: 'consumed', consumedAt: now.toISOString(), owner };
  });
}
