import { z } from 'zod';
import { Sale } from '../../shared/schemas/sale.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import type { Mailer } from './mailer.ts';
import { renderSaleCodesEmail } from './sale-codes-content.ts';

export const SALE_CODES_EMAIL = 'sale-codes-email';

/** Only the id: the handler reads the sale as stored, the one source of truth. */
const Payload = z.object({ saleId: z.string().min(1) });

/**
 * Call inside the transaction that stores the sale (sync/accept-sale.ts): the e-mail is owed
 * exactly when the sale exists. A sale without `buyerEmail` owes none.
 */
export async function enqueueSaleCodesEmail(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  if (sale.buyerEmail === undefined) return;
  await enqueue(
    trx,
    {
      kind: SALE_CODES_EMAIL,
      idempotencyKey: `${SALE_CODES_EMAIL}:${sale.id}`,
      payload: { saleId: sale.id },
    },
    deps,
  );
}

/** Sends the buyer their codes; the idempotency key becomes the Message-ID. */
export function saleCodesEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { saleId } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('sales')
      .innerJoin('stores', 'stores.id', 'sales.store_id')
      .select(['sales.body', 'stores.name as store_name'])
      .where('sales.id', '=', saleId)
      .executeTakeFirst();
    if (!row) throw new Error(`Sale ${saleId} is not on this server.`);
    const sale = Sale.parse(JSON.parse(row.body));
    if (sale.buyerEmail === undefined) throw new Error(`Sale ${saleId} has no buyer e-mail.`);
    const email = renderSaleCodesEmail({
      sale,
      storeName: row.store_name,
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({ to: sale.buyerEmail, messageId: delivery.idempotencyKey, ...email });
  };
}
