import type { Sale } from '../../shared/schemas/sale.ts';
import type { DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { GIFT_EMAIL, giftEmailKey } from '../mail/gift-email.ts';
import { enqueue } from '../outbox/enqueue.ts';

/** A gift's send date is a calendar day: it is due from midnight UTC (enqueue makes a past one now). */
export function giftDueAt(sendOn: string | undefined): string | undefined {
  return sendOn === undefined ? undefined : `${sendOn}T00:00:00.000Z`;
}

/**
 * Call inside storeSale's transaction: one e-mail per gift line to its recipient, due on the
 * line's send date. One key per line, so a sale pushed twice owes each recipient one e-mail.
 */
export async function enqueueGiftEmails(
  trx: DbOrTrx,
  sale: Pick<Sale, 'id' | 'lines'>,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  for (const line of sale.lines) {
    if (line.gift === undefined) continue;
    const notBefore = giftDueAt(line.gift.sendOn);
    await enqueue(
      trx,
      {
        kind: GIFT_EMAIL,
        idempotencyKey: giftEmailKey(sale.id, line.lineId),
        payload: { saleId: sale.id, lineId: line.lineId },
        ...(notBefore === undefined ? {} : { notBefore }),
      },
      deps,
    );
  }
}
