import type { Sale } from '../../shared/schemas/sale.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueueBuyerJob, loadBuyerJobSale } from '../outbox/sale-jobs.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { findOrCreateAccount } from './accounts.ts';
import { inTransaction } from '../db/transaction.ts';

export const BUYER_ACCOUNT = 'buyer-account';

/** Call inside the transaction that stores a new sale: the buyer's account, in the background. */
export function enqueueBuyerAccount(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  return enqueueBuyerJob(trx, BUYER_ACCOUNT, sale, deps);
}

/** Finds or creates the buyer's account and marks the sale's codes as bought by it. Idempotent. */
export function buyerAccountHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
}): OutboxHandler {
  return async (delivery) => {
    const { sale } = await loadBuyerJobSale(deps.db, delivery.payload);
    const email = sale.buyerEmail;
    const saleId = sale.id;
    await inTransaction(deps.db, async (trx) => {
      const account = await findOrCreateAccount(trx, email, deps);
      await trx
        .updateTable('entitlements')
        .set({ buyer_account_id: account.id })
        .where('sale_id', '=', saleId)
        .execute();
    });
  };
}
