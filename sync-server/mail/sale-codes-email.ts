import type { Sale } from '../../shared/schemas/sale.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueueBuyerJob, loadBuyerJobSale } from '../outbox/sale-jobs.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import type { Mailer } from './mailer.ts';
import { renderSaleCodesEmail } from './sale-codes-content.ts';

export const SALE_CODES_EMAIL = 'sale-codes-email';

/** Call inside the transaction that stores a new sale: the buyer is owed their codes by e-mail. */
export function enqueueSaleCodesEmail(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  return enqueueBuyerJob(trx, SALE_CODES_EMAIL, sale, deps);
}

/** Sends the buyer their codes; the idempotency key becomes the Message-ID. */
export function saleCodesEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { sale, storeName } = await loadBuyerJobSale(deps.db, delivery.payload);
    const email = renderSaleCodesEmail({
      sale,
      storeName,
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({ to: sale.buyerEmail, messageId: delivery.idempotencyKey, ...email });
  };
}
