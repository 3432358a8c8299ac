import { formatCode } from '../../shared/code/entitlement-code.ts';
import { ENTITLEMENT_STATE_LABELS, EntitlementState } from '../../shared/schemas/entitlement.ts';
import { findOrCreateAccount } from '../accounts/accounts.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { recordHandover } from '../entitlements/events.ts';
import { enqueueTransferEmail } from '../mail/transfer-email.ts';

type Deps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

/** `not-found`: no such code, or not held by this account (one answer, no oracle). */
export type TransferOutcome =
  | { kind: 'transferred' }
  | { kind: 'not-found' }
  | { kind: 'own-address' }
  | { kind: 'unavailable'; message: string };

/**
 * Hands a claimed code to the account of `email` (made if there is none) before anything was
 * registered on it: a guarded UPDATE on holder and state, so a concurrent onboarding or void
 * wins cleanly. The new holder is e-mailed. Call inside a transaction.
 */
export async function transferCode(
  trx: DbOrTrx,
  input: {
    readonly code: string;
    readonly accountId: string;
    readonly ownEmail: string;
    readonly email: string;
  },
  deps: Deps,
): Promise<TransferOutcome> {
  const row = await trx
    .selectFrom('entitlements')
    .select('state')
    .where('code', '=', input.code)
    .where('holder_account_id', '=', input.accountId)
    .executeTakeFirst();
  if (!row) return { kind: 'not-found' };
  const shown = formatCode(input.code);
  if (row.state !== 'claimed') {
    const state = EntitlementState.parse(row.state);
    return {
      kind: 'unavailable',
      message: `Code ${shown} is ${ENTITLEMENT_STATE_LABELS[state].toLowerCase()} now; only a claimed code that nothing was registered on can be transferred.`,
    };
  }
  if (input.email === input.ownEmail) return { kind: 'own-address' };
  const recipient = await findOrCreateAccount(trx, input.email, deps);
  const now = isoNow(deps.clock);
  const won = await trx
    .updateTable('entitlements')
    .set({ holder_account_id: recipient.id, claimed_at: now })
    .where('code', '=', input.code)
    .where('holder_account_id', '=', input.accountId)
    .where('state', '=', 'claimed')
    .returning('code')
    .executeTakeFirst();
  if (!won) {
    return {
      kind: 'unavailable',
      message: `Code ${shown} changed meanwhile; reload your account and try again.`,
    };
  }
  await recordHandover(
    trx,
    {
      code: input.code,
      state: 'claimed',
      actor: `customer:${input.accountId}`,
      reason: `transferred to ${recipient.email} by the holder`,
      at: now,
    },
    deps.randomBytes,
  );
  await enqueueTransferEmail(trx, { code: input.code, accountId: recipient.id, at: now }, deps);
  return { kind: 'transferred' };
}
