import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import type { Mailer } from './mailer.ts';
import { paragraphEmail } from './email-document.ts';

/** Tells a person they were given a seat of a licence. */
export const SEAT_ASSIGNED_EMAIL = 'seat-assigned';

const Payload = z.object({ code: z.string().min(1), email: z.string().min(1) });

/**
 * Call in the transaction that issues the licence file. Keyed by the file, so someone seated
 * again in a later file (after being removed) is told again, and a retried job is one e-mail.
 */
export async function enqueueSeatAssignedEmail(
  trx: DbOrTrx,
  seat: { readonly code: string; readonly email: string; readonly licenceId: string },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: SEAT_ASSIGNED_EMAIL,
      idempotencyKey: `${SEAT_ASSIGNED_EMAIL}:${seat.licenceId}:${seat.email}`,
      payload: { code: seat.code, email: seat.email },
    },
    deps,
  );
}

/** Only while the person still holds a seat: a seat taken back before delivery owes nothing. */
export function seatAssignedEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
}): OutboxHandler {
  return async (delivery) => {
    const { code, email } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('seat_assignments')
      .innerJoin('entitlements', 'entitlements.code', 'seat_assignments.code')
      .innerJoin('stores', 'stores.id', 'entitlements.store_id')
      .select(['seat_assignments.seat', 'entitlements.product_name', 'stores.name as store_name'])
      .where('seat_assignments.code', '=', code)
      .where('seat_assignments.email', '=', email)
      .executeTakeFirst();
    if (!row) return;
    const content = paragraphEmail(`You have a seat of ${row.product_name}`, [
      `You were given seat ${row.seat} of ${row.product_name} from ${row.store_name} (licence code ${formatCode(code)}).`,
      'The person who manages the licence has the licence file; ask them for it to install the software.',
    ]);
    await deps.mailer.send({ to: email, messageId: delivery.idempotencyKey, ...content });
  };
}
