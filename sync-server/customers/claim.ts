import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createProvisionalClaim } from '../entitlements/provisional-claims.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { onboardClaimed, type OnboardDeps } from '../onboarding/activate.ts';
import { needsNothing } from '../onboarding/submission.ts';
import { templateOf } from '../templates/templates.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

export type ClaimOutcome =
  | { kind: 'claimed'; owner: StatusOwner }
  /** Provisionally claimed: its sale has not reached us yet (entitlements/provisional-claims.ts). */
  | { kind: 'waiting' }
  /** Already this account's: a second link for the same code, or a double submit. */
  | { kind: 'already-yours' }
  /** Someone else claimed it first, or it was redeemed or voided meanwhile. */
  | { kind: 'unavailable'; state: string | null };

export const NOTHING_TO_REGISTER = 'nothing to register';

/**
 * A template with nothing to register (a gift card) goes on from claimed to onboarded and
 * active in the claim's own transaction, each step its own event. Codes without a template
 * (made before templates existed) stay claimed.
 */
export async function onboardIfNothingToRegister(
  trx: Transaction<Database>,
  code: string,
  deps: OnboardDeps,
): Promise<void> {
  const row = await trx
    .selectFrom('entitlements')
    .select('product_id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const template = await templateOf(trx, row.product_id);
  if (!template || !needsNothing(template)) return;
  await onboardClaimed(
    trx,
    {
      code,
      template,
      submission: { values: {}, seats: null },
      actor: 'system',
      reason: NOTHING_TO_REGISTER,
    },
    deps,
  );
}

/**
 * Binds a code to an account: known → claimed, guarded by `state = 'known'` so of two accounts
 * claiming at once exactly one becomes the holder. Call inside the transaction that used the
 * magic link, so a failed claim leaves the link unused. Expired codes cannot be claimed.
 */
export async function claimEntitlement(
  trx: Transaction<Database>,
  code: string,
  accountId: string,
  deps: OnboardDeps,
): Promise<ClaimOutcome> {
  const expiry = await trx
    .selectFrom('entitlements')
    .select('expires_at')
    .where('code', '=', code)
    .executeTakeFirst();
  if (expiry?.expires_at != null && Date.parse(expiry.expires_at) <= deps.clock().getTime()) {
    return { kind: 'unavailable', state: 'expired' };
  }
  const owner = await transitionEntitlement(
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
  if (owner !== null) {
    await onboardIfNothingToRegister(trx, code, deps);
    return { kind: 'claimed', owner };
  }
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
  deps: OnboardDeps,
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
