import type { Transaction } from 'kysely';
import { parseCode } from '../../shared/code/entitlement-code.ts';
import type { Database, Db, DbOrTrx } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { enqueueProvisionalClaimEmail } from '../mail/provisional-claim-email.ts';
import { onboardIfNothingToRegister } from '../customers/claim.ts';
import {
  onboardFromProvisional,
  storedProvisionalOnboarding,
} from '../onboarding/provisional-onboarding.ts';
import { transitionEntitlement } from './transition.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * Provisional claims (DESIGN, entitlement lifecycle): a genuine code claimed before its sale
 * reached us. The code stays `issued` (there is no entitlement row yet); the claim becomes real
 * only by walking known → claimed when the sale arrives, as shared/lifecycle/provisional.ts
 * models it. Every state change is a guarded UPDATE on `state = 'waiting'`, so of the sale
 * arriving, the deadline passing and a void, exactly one decides a claim.
 */
export const CONFIRMED_REASON = 'provisional claim confirmed when the sale arrived';
export const NEVER_ARRIVED_REASON = "the shop's sale never arrived";
export const SALE_VOIDED_REASON = 'the shop voided the sale';
export const DEFAULT_PROVISIONAL_CLAIM_DAYS = 7;
const DAY_MS = 86_400_000;
/** Codes per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

type Deps = { readonly clock: Clock; readonly randomBytes: RandomBytes };
/**
 * The master key signs licence files registered before the sale. storeSale passes the app
 * context, which has it; a caller without it leaves such a licence claimed, to be re-sent.
 */
/** Activation may sign a licence registered before the sale: it needs the master key. */
type ActivationDeps = Deps & { readonly masterKey: Uint8Array };

export type ProvisionalClaimOutcome =
  | { kind: 'waiting' }
  | { kind: 'already-yours' }
  /** Another account holds it, or an earlier claim lapsed (not renewed), or no terminal signs it. */
  | { kind: 'unavailable' };

/** Call in the transaction that uses the magic link; the code's MAC was verified before. */
export async function createProvisionalClaim(
  trx: DbOrTrx,
  input: { readonly code: string; readonly accountId: string; readonly days: number },
  deps: Deps,
): Promise<ProvisionalClaimOutcome> {
  const parsed = parseCode(input.code);
  if (!parsed.ok) return { kind: 'unavailable' };
  const terminal = await trx
    .selectFrom('terminals')
    .select(['id', 'store_id'])
    .where('code_prefix', '=', parsed.value.prefix)
    .executeTakeFirst();
  if (!terminal) return { kind: 'unavailable' };
  const now = deps.clock();
  const inserted = await trx
    .insertInto('provisional_claims')
    .values({
      code: input.code,
      account_id: input.accountId,
      store_id: terminal.store_id,
      terminal_id: terminal.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + input.days * DAY_MS).toISOString(),
      state: 'waiting',
      reason: null,
    })
    .onConflict((conflict) => conflict.column('code').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) return { kind: 'waiting' };
  const existing = await trx
    .selectFrom('provisional_claims')
    .select(['account_id', 'state'])
    .where('code', '=', input.code)
    .executeTakeFirst();
  return existing?.account_id === input.accountId && existing.state === 'waiting'
    ? { kind: 'already-yours' }
    : { kind: 'unavailable' };
}

export const USED_FIRST_REASON = 'the code was redeemed or claimed before your claim was confirmed';

/**
 * Call in storeSale's transaction, after the sale's codes are inserted as `known`: each code
 * with a waiting claim becomes claimed by that account, and the customer is told (one e-mail
 * per code, however often the sale is pushed). A claim with values registered meanwhile goes
 * on to onboarded and active with them; a template with nothing to register goes on by itself.
 * Returns the codes activated.
 */
export async function activateProvisionalClaims(
  trx: Transaction<Database>,
  codes: readonly string[],
  deps: ActivationDeps,
): Promise<string[]> {
  const activated: string[] = [];
  for (const batch of chunks(codes)) {
    const won = await trx
      .updateTable('provisional_claims')
      .set({ state: 'activated' })
      .where('code', 'in', batch)
      .where('state', '=', 'waiting')
      .returning(['code', 'account_id', 'created_at', 'onboarding'])
      .execute();
    for (const claim of won) {
      const owner = await transitionEntitlement(
        trx,
        {
          code: claim.code,
          from: 'known',
          to: 'claimed',
          // Claimed when the customer claimed it, not when the shop got online.
          set: () => ({ holder_account_id: claim.account_id, claimed_at: claim.created_at }),
          actor: 'system',
          reason: CONFIRMED_REASON,
        },
        deps,
      );
      if (owner === null) {
        // Only the sweep's repair can meet this: the code was used before the claim was seen.
        await trx
          .updateTable('provisional_claims')
          .set({ state: 'cancelled', reason: USED_FIRST_REASON })
          .where('code', '=', claim.code)
          .execute();
      } else {
        activated.push(claim.code);
        const stored = storedProvisionalOnboarding(claim.onboarding);
        const onboarded =
          stored !== null && (await onboardFromProvisional(trx, claim.code, stored, deps));
        if (!onboarded) await onboardIfNothingToRegister(trx, claim.code, deps);
      }
      await enqueueProvisionalClaimEmail(trx, claim.code, deps);
    }
  }
  return activated;
}

async function cancelWaiting(
  trx: DbOrTrx,
  filter: { readonly codes: readonly string[] } | { readonly expiredBy: string },
  reason: string,
  deps: Deps,
): Promise<string[]> {
  const batches = 'codes' in filter ? chunks(filter.codes) : [null];
  const cancelled: string[] = [];
  for (const batch of batches) {
    let update = trx
      .updateTable('provisional_claims')
      .set({ state: 'cancelled', reason })
      .where('state', '=', 'waiting');
    if (batch !== null) update = update.where('code', 'in', batch);
    if ('expiredBy' in filter) update = update.where('expires_at', '<=', filter.expiredBy);
    const rows = await update.returning('code').execute();
    for (const row of rows) {
      await enqueueProvisionalClaimEmail(trx, row.code, deps);
      cancelled.push(row.code);
    }
  }
  return cancelled;
}

function chunks(codes: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < codes.length; i += CHUNK) out.push(codes.slice(i, i + CHUNK));
  return out;
}

/**
 * The sweep: cancels waiting claims past their deadline and e-mails each customer why; returns
 * the codes cancelled. First it activates waiting claims whose sale is already here: on
 * PostgreSQL a claim and its sale committed at the same moment can each miss the other (SQLite's
 * single writer cannot), and the sweep is what catches that.
 */
export function expireProvisionalClaims(
  db: Db,
  clock: Clock,
  randomBytes: RandomBytes,
  masterKey: Uint8Array,
): Promise<string[]> {
  const deps = { clock, randomBytes, masterKey };
  return inTransaction(db, async (trx) => {
    const arrived = await trx
      .selectFrom('provisional_claims')
      .innerJoin('entitlements', 'entitlements.code', 'provisional_claims.code')
      .select('provisional_claims.code')
      .where('provisional_claims.state', '=', 'waiting')
      .limit(CHUNK)
      .execute();
    await activateProvisionalClaims(
      trx,
      arrived.map((row) => row.code),
      deps,
    );
    return cancelWaiting(trx, { expiredBy: isoNow(clock) }, NEVER_ARRIVED_REASON, deps);
  });
}

/**
 * The hook for voids (a later issue): call in the transaction that records a voided sale
 * arriving, with its codes, so their waiting claims end with a message to the customer.
 */
export function cancelProvisionalClaimsForVoidedSale(
  trx: DbOrTrx,
  codes: readonly string[],
  deps: Deps,
): Promise<string[]> {
  return cancelWaiting(trx, { codes }, SALE_VOIDED_REASON, deps);
}
