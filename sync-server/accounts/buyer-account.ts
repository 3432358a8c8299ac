import { z } from 'zod';
import { Sale } from '../../shared/schemas/sale.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { findOrCreateAccount } from './accounts.ts';

export const BUYER_ACCOUNT = 'buyer-account';

const Payload = z.object({ saleId: z.string().min(1) });

/**
 * Call inside the transaction that stores a new sale: a buyer who gave an e-mail gets an account
 * in the background (never at checkout, never in a request), so their codes are on their account
 * page the first time they sign in.
 */
export async function enqueueBuyerAccount(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  if (sale.buyerEmail === undefined) return;
  await enqueue(
    trx,
    {
      kind: BUYER_ACCOUNT,
      idempotencyKey: `${BUYER_ACCOUNT}:${sale.id}`,
      payload: { saleId: sale.id },
    },
    deps,
  );
}

/** Finds or creates the buyer's account and marks the sale's codes as bought by it. Idempotent. */
export function buyerAccountHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
}): OutboxHandler {
  return async (delivery) => {
    const { saleId } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('sales')
      .select('body')
      .where('id', '=', saleId)
      .executeTakeFirst();
    if (!row) throw new Error(`Sale ${saleId} is not on this server.`);
    const sale = Sale.parse(JSON.parse(row.body));
    if (sale.buyerEmail === undefined) throw new Error(`Sale ${saleId} has no buyer e-mail.`);
    const email = sale.buyerEmail;
    await deps.db.transaction().execute(async (trx) => {
      const account = await findOrCreateAccount(trx, email, deps);
      await trx
        .updateTable('entitlements')
        .set({ buyer_account_id: account.id })
        .where('sale_id', '=', saleId)
        .execute();
    });
  };
}
