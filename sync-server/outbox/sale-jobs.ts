import { z } from 'zod';
import { Sale } from '../../shared/schemas/sale.ts';
import type { DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from './enqueue.ts';

/** Only the id: a handler reads the sale as stored, the one source of truth. */
const SaleJobPayload = z.object({ saleId: z.string().min(1) });

/**
 * Call inside the transaction that stores a new sale (sync/accept-sale.ts): a job owed to the
 * buyer (their codes by e-mail, their account) exists exactly when the sale does. A sale without
 * `buyerEmail` owes none. One job of each kind per sale, however often the sale is pushed.
 */
export async function enqueueBuyerJob(
  trx: DbOrTrx,
  kind: string,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  if (sale.buyerEmail === undefined) return;
  await enqueue(
    trx,
    { kind, idempotencyKey: `${kind}:${sale.id}`, payload: { saleId: sale.id } },
    deps,
  );
}

export type SaleWithBuyer = Sale & { readonly buyerEmail: string };

/** The stored sale a buyer job was enqueued for, with the store's name. */
export async function loadBuyerJobSale(
  db: DbOrTrx,
  payload: unknown,
): Promise<{ sale: SaleWithBuyer; storeName: string }> {
  const { saleId } = SaleJobPayload.parse(payload);
  const row = await db
    .selectFrom('sales')
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .select(['sales.body', 'stores.name as store_name'])
    .where('sales.id', '=', saleId)
    .executeTakeFirst();
  if (!row) throw new Error(`Sale ${saleId} is not on this server.`);
  const sale = Sale.parse(JSON.parse(row.body));
  if (sale.buyerEmail === undefined) throw new Error(`Sale ${saleId} has no buyer e-mail.`);
  return { sale: { ...sale, buyerEmail: sale.buyerEmail }, storeName: row.store_name };
}
