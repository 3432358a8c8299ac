import { z } from 'zod';
import { Sale } from '../../shared/schemas/sale.ts';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { newId, type Clock, type RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import { enqueueBuyerJob } from '../outbox/sale-jobs.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { templatesOf } from '../templates/templates.ts';
import type { Mailer } from './mailer.ts';
import { renderSaleCodesEmail } from './sale-codes-content.ts';

export const SALE_CODES_EMAIL = 'sale-codes-email';

/** The sale's id, and for a resend the address typed at the counter (else the buyer's). */
const Payload = z.object({ saleId: z.string().min(1), to: z.string().min(3).max(254).optional() });

/** Call inside the transaction that stores a new sale: the buyer is owed their receipt by e-mail. */
export function enqueueSaleCodesEmail(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'buyerEmail'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  return enqueueBuyerJob(trx, SALE_CODES_EMAIL, sale, deps);
}

/**
 * A resend asked for at the counter: a fresh key, so it is a new message, never swallowed as a
 * replay of the first one. Returns the key (the outbox row and later the Message-ID).
 */
export async function enqueueReceiptResend(
  trx: DbOrTrx,
  input: { readonly saleId: string; readonly to: string },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<string> {
  const idempotencyKey = `${SALE_CODES_EMAIL}:${input.saleId}:${newId('resend', deps.randomBytes)}`;
  await enqueue(
    trx,
    { kind: SALE_CODES_EMAIL, idempotencyKey, payload: { saleId: input.saleId, to: input.to } },
    deps,
  );
  return idempotencyKey;
}

/** The stored sale with what its receipt shows: store and till names, templates, a void. */
async function loadReceiptFacts(db: DbOrTrx, saleId: string) {
  const row = await db
    .selectFrom('sales')
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .leftJoin('terminals', 'terminals.id', 'sales.terminal_id')
    .select(['sales.body', 'stores.name as store_name', 'terminals.name as terminal_name'])
    .where('sales.id', '=', saleId)
    .executeTakeFirst();
  if (!row) throw new Error(`Sale ${saleId} is not on this server.`);
  const sale = Sale.parse(JSON.parse(row.body));
  const templates = await templatesOf(
    db,
    sale.storeId,
    sale.lines.map((line) => line.productId),
  );
  const voidRow = await db
    .selectFrom('sale_voids')
    .select('body')
    .where('sale_id', '=', saleId)
    .executeTakeFirst();
  return {
    sale,
    storeName: row.store_name,
    terminalName: row.terminal_name ?? '',
    templates,
    voided: voidRow ? SaleVoid.parse(JSON.parse(voidRow.body)) : null,
  };
}

/** Sends the receipt with its codes; the idempotency key becomes the Message-ID. */
export function saleCodesEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const payload = Payload.parse(delivery.payload);
    const facts = await loadReceiptFacts(deps.db, payload.saleId);
    const to = payload.to ?? facts.sale.buyerEmail;
    if (to === undefined) throw new Error(`Sale ${payload.saleId} has no buyer e-mail.`);
    const email = renderSaleCodesEmail({ ...facts, publicUrl: deps.publicUrl() });
    await deps.mailer.send({ to, messageId: delivery.idempotencyKey, ...email });
  };
}
