import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { paragraphEmail } from './email-document.ts';
import type { Mailer } from './mailer.ts';

/** Tells the account holding a code that the shop voided its sale, why, and what to do. */
export const VOID_NOTICE_EMAIL = 'void-notice';

const Payload = z.object({ code: z.string().min(1) });

/** Call in the transaction that voids the code. A code is voided once: one key per code. */
export async function enqueueVoidNotice(
  trx: DbOrTrx,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    { kind: VOID_NOTICE_EMAIL, idempotencyKey: `${VOID_NOTICE_EMAIL}:${code}`, payload: { code } },
    deps,
  );
}

export function renderVoidNotice(input: {
  readonly code: string;
  readonly productName: string;
  readonly storeName: string;
  readonly reason: string;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
}): { subject: string; text: string; html: string } {
  const shown = formatCode(input.code);
  const subject = `Your code ${shown} was voided`;
  const lines = [
    `${input.storeName} voided the sale of ${input.productName} (code ${shown}). The reason they gave: ${input.reason}`,
    'The code can no longer be used.',
    `What to do: ask ${input.storeName} for a refund or a replacement code. Bring your receipt or this e-mail.`,
    `Your account shows the code as voided: ${input.publicUrl}/account`,
  ];
  return paragraphEmail(subject, lines);
}

/** Reads the code as it is now: only a voided code with a holder owes the notice. */
export function voidNoticeHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { code } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('entitlements')
      .innerJoin('stores', 'stores.id', 'entitlements.store_id')
      .innerJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
      .select([
        'entitlements.product_name',
        'entitlements.void_reason',
        'stores.name as store_name',
        'accounts.email',
      ])
      .where('entitlements.code', '=', code)
      .where('entitlements.state', '=', 'voided')
      .executeTakeFirst();
    if (!row) return;
    const email = renderVoidNotice({
      code,
      productName: row.product_name,
      storeName: row.store_name,
      reason: row.void_reason ?? 'no reason given',
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...email });
  };
}
