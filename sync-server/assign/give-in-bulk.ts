import type { DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { giveCode } from './give-code.ts';

/** Thrown inside the transaction to roll back every code given so far: all or nothing. */
export class GiveConflict extends Error {}

/** The codes of a sale the account bought that it may still give, in code order. */
export async function freeCodesOfSale(
  db: DbOrTrx,
  input: { readonly saleId: string; readonly productId: string; readonly accountId: string },
): Promise<string[]> {
  let query = db
    .selectFrom('entitlements')
    .select('code')
    .where('sale_id', '=', input.saleId)
    .where('buyer_account_id', '=', input.accountId)
    .where('state', '=', 'known')
    .where('holder_account_id', 'is', null)
    .where('given_to', 'is', null);
  if (input.productId !== '') query = query.where('product_id', '=', input.productId);
  const rows = await query.orderBy('code').execute();
  return rows.map((row) => row.code);
}

/**
 * Gives the first `emails.length` free codes of one sale (and product) to the addresses, in code
 * order, one assignment e-mail each. Call inside a transaction: a code taken meanwhile throws
 * GiveConflict, and the caller's rollback undoes the codes given before it.
 */
export async function giveInBulk(
  trx: DbOrTrx,
  input: {
    readonly saleId: string;
    readonly productId: string;
    readonly accountId: string;
    readonly emails: readonly string[];
  },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  const free = await freeCodesOfSale(trx, input);
  if (free.length < input.emails.length) throw new GiveConflict('codes taken meanwhile');
  for (const [index, email] of input.emails.entries()) {
    const code = free[index] ?? '';
    const outcome = await giveCode(trx, { code, accountId: input.accountId, email }, deps);
    if (outcome.kind !== 'given') throw new GiveConflict(`code ${code} taken meanwhile`);
  }
}
