import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { createProvisionalClaim } from '../entitlements/provisional-claims.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';

export type ClaimOutcome =
  | { kind: 'claimed'; storeId: string }
  /** Provisionally claimed: its sale has not reached us yet (entitlements/provisional-claims.ts). */
  | { kind: 'waiting' }
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
  const storeId = await transitionEntitlement(
    trx,
    {
      code,
      from: 'known',
      to: 'claimed',
      set: (now) => ({ holder_account_id: accountId, claimed_at: now }),
      actor: `customer:${accountId}`,
      reason: 'claimed by e-mailed magic link',
    },
    deps,
  );
  if (storeId !== null) return { kind: 'claimed', storeId };
  const row = await trx
    .selectFrom('entitlements')
    .select(['state', 'holder_account_id'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (row?.holder_account_id === accountId) return { kind: 'already-yours' };
  return { kind: 'unavailable', state: row?.state ?? null };
}

/**
 * The link of a genuine code whose sale had not arrived when it was asked for. If the sale came
 * in meanwhile this is an ordinary claim; otherwise the code is claimed provisionally.
 */
export async function claimProvisionally(
  trx: Transaction<Database>,
  input: { readonly code: string; readonly accountId: string; readonly days: number },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<ClaimOutcome> {
  const known = await trx
    .selectFrom('entitlements')
    .select('code')
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (known) return claimEntitlement(trx, input.code, input.accountId, deps);
  const outcome = await createProvisionalClaim(trx, input, deps);
  return outcome.kind === 'unavailable' ? { kind: 'unavailable', state: null } : outcome;
}
