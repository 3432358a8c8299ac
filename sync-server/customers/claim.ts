import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { recordEvents } from '../entitlements/events.ts';

export type ClaimOutcome =
  | { kind: 'claimed'; storeId: string }
  /** Already this account's: a second link for the same code, or a double submit. */
  | { kind: 'already-yours' }
  /** Someone else claimed it first, or it was redeemed or voided meanwhile. */
  | { kind: 'unavailable'; state: string | null };

/**
 * Binds a code to an account: known → claimed, guarded by `state = 'known'` so of two accounts
 * claiming at once exactly one becomes the holder. Call inside the transaction that used the
 * magic link, so a failed claim leaves the link unused.
 */
export async function claimEntitlement(
  trx: Transaction<Database>,
  code: string,
  accountId: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<ClaimOutcome> {
  const now = isoNow(deps.clock);
  const won = await trx
    .updateTable('entitlements')
    .set({ state: 'claimed', holder_account_id: accountId, claimed_at: now, updated_at: now })
    .where('code', '=', code)
    .where('state', '=', 'known')
    .returning('store_id')
    .executeTakeFirst();
  if (won) {
    const seq = await nextSeq(trx);
    await trx.updateTable('entitlements').set({ seq }).where('code', '=', code).execute();
    await recordEvents(
      trx,
      [
        {
          code,
          from: 'known',
          to: 'claimed',
          actor: `customer:${accountId}`,
          reason: 'claimed by e-mailed magic link',
          at: now,
        },
      ],
      deps.randomBytes,
    );
    return { kind: 'claimed', storeId: won.store_id };
  }
  const row = await trx
    .selectFrom('entitlements')
    .select(['state', 'holder_account_id'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (row?.holder_account_id === accountId) return { kind: 'already-yours' };
  return { kind: 'unavailable', state: row?.state ?? null };
}
