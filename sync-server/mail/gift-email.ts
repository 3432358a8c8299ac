import { z } from 'zod';
import { Sale } from '../../shared/schemas/sale.ts';
import type { Db } from '../db/schema.ts';
import { isoNow, type Clock } from '../deps.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { renderGiftEmail } from './gift-email-content.ts';
import type { Mailer } from './mailer.ts';

/** A gift line's codes, e-mailed to its recipient on the send date (gifts/enqueue-gift-emails.ts). */
export const GIFT_EMAIL = 'gift-email';

export function giftEmailKey(saleId: string, lineId: string): string {
  return `${GIFT_EMAIL}:${saleId}:${lineId}`;
}

const Payload = z.object({ saleId: z.string().min(1), lineId: z.string().min(1) });

/**
 * Reads the sale and the codes as they are now: a code voided since the sale (or a whole voided
 * sale) is not sent. After sending, the codes are marked given; the recipient owns them now.
 */
export function giftEmailHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { saleId, lineId } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('sales')
      .innerJoin('stores', 'stores.id', 'sales.store_id')
      .select(['sales.body', 'stores.name as store_name'])
      .where('sales.id', '=', saleId)
      .executeTakeFirst();
    if (!row) throw new Error(`Sale ${saleId} is not on this server.`);
    const line = Sale.parse(JSON.parse(row.body)).lines.find((l) => l.lineId === lineId);
    if (line?.gift === undefined) throw new Error(`Sale ${saleId} has no gift line ${lineId}.`);
    const live = await deps.db
      .selectFrom('entitlements')
      .select('code')
      .where('code', 'in', line.codes)
      .where('state', '!=', 'voided')
      .orderBy('code')
      .execute();
    if (live.length === 0) return;
    const codes = live.map((entitlement) => entitlement.code);
    const email = renderGiftEmail({
      storeName: row.store_name,
      productName: line.name,
      kind: line.kind,
      codes,
      message: line.gift.message,
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({
      to: line.gift.recipientEmail,
      messageId: delivery.idempotencyKey,
      ...email,
    });
    // given_at is not on the wire (terminals do not pull it), so it takes no new seq.
    await deps.db
      .updateTable('entitlements')
      .set({ given_at: isoNow(deps.clock) })
      .where('code', 'in', codes)
      .where('given_at', 'is', null)
      .execute();
  };
}
