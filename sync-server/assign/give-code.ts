import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { recordHandover } from '../entitlements/events.ts';
import { enqueueAssignmentEmail } from '../mail/assignment-email.ts';

type Deps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

/**
 * `not-found` covers a code that does not exist and one bought by another account alike, so the
 * answer tells nobody which codes exist (no oracle).
 */
export type GiveOutcome =
  { kind: 'given' } | { kind: 'not-found' } | { kind: 'unavailable'; message: string };

/** Why a code the account bought cannot be given; null when it can. */
export function whyNotGivable(
  code: string,
  row: { state: string; holder_account_id: string | null; given_to: string | null },
): string | null {
  const shown = formatCode(code);
  if (row.given_to !== null) return `Code ${shown} was already given to ${row.given_to}.`;
  if (row.holder_account_id !== null) {
    return `Code ${shown} was already claimed, so it can no longer be given.`;
  }
  if (row.state !== 'known') {
    return `Code ${shown} can no longer be given: it is ${row.state} now.`;
  }
  return null;
}

/**
 * Gives one code the account bought to `email` (buy now, assign later): marks it given in a
 * guarded UPDATE (still known, unclaimed, not given, still this buyer's), records who did it,
 * and owes the recipient an e-mail with the code's link. Call inside a transaction.
 */
export async function giveCode(
  trx: DbOrTrx,
  input: { readonly code: string; readonly accountId: string; readonly email: string },
  deps: Deps,
): Promise<GiveOutcome> {
  const row = await trx
    .selectFrom('entitlements')
    .select(['state', 'holder_account_id', 'given_to'])
    .where('code', '=', input.code)
    .where('buyer_account_id', '=', input.accountId)
    .executeTakeFirst();
  if (!row) return { kind: 'not-found' };
  const refusal = whyNotGivable(input.code, row);
  if (refusal !== null) return { kind: 'unavailable', message: refusal };
  const now = isoNow(deps.clock);
  const won = await trx
    .updateTable('entitlements')
    .set({ given_to: input.email, given_at: now })
    .where('code', '=', input.code)
    .where('buyer_account_id', '=', input.accountId)
    .where('state', '=', 'known')
    .where('holder_account_id', 'is', null)
    .where('given_to', 'is', null)
    .returning('state')
    .executeTakeFirst();
  if (!won) {
    return {
      kind: 'unavailable',
      message: `Code ${formatCode(input.code)} changed meanwhile; reload your account and try again.`,
    };
  }
  await recordHandover(
    trx,
    {
      code: input.code,
      state: won.state as EntitlementState,
      actor: `customer:${input.accountId}`,
      reason: `given to ${input.email} by the buyer`,
      at: now,
    },
    deps.randomBytes,
  );
  await enqueueAssignmentEmail(trx, input.code, deps);
  return { kind: 'given' };
}
