import { z } from 'zod';
import { ProductKind } from '../../shared/schemas/product.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { renderGiftEmail } from './gift-email-content.ts';
import type { Mailer } from './mailer.ts';

/** A code its buyer gave from the account page (assign later), e-mailed to the recipient. */
export const ASSIGNMENT_EMAIL = 'assignment-email';

const Payload = z.object({ code: z.string().min(1) });

/** Call in the transaction that gives the code. A code is given once, so one key per code. */
export async function enqueueAssignmentEmail(
  trx: DbOrTrx,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    { kind: ASSIGNMENT_EMAIL, idempotencyKey: `${ASSIGNMENT_EMAIL}:${code}`, payload: { code } },
    deps,
  );
}

/** Reads the code as it is now: one voided since it was given is not sent. */
export function assignmentEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { code } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('entitlements')
      .innerJoin('stores', 'stores.id', 'entitlements.store_id')
      .select([
        'entitlements.product_name',
        'entitlements.kind',
        'entitlements.state',
        'entitlements.given_to',
        'stores.name as store_name',
      ])
      .where('entitlements.code', '=', code)
      .executeTakeFirst();
    if (!row) throw new Error(`Code ${code} is not on this server.`);
    if (row.given_to === null || row.state === 'voided') return;
    const email = renderGiftEmail({
      storeName: row.store_name,
      productName: row.product_name,
      kind: ProductKind.parse(row.kind),
      codes: [code],
      message: undefined,
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({ to: row.given_to, messageId: delivery.idempotencyKey, ...email });
  };
}
