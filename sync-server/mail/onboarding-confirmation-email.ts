import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { formatDateTime } from '../redeem/html.ts';
import { paragraphEmail } from './email-document.ts';
import type { Mailer } from './mailer.ts';

/** Tells the holder their code is registered, and whether it is active or being activated. */
export const ONBOARDING_CONFIRMATION_EMAIL = 'onboarding-confirmation';

const Payload = z.object({ code: z.string().min(1) });

/** Call in the transaction that onboards the code; a code is onboarded once, so one key per code. */
export async function enqueueOnboardingConfirmation(
  trx: DbOrTrx,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: ONBOARDING_CONFIRMATION_EMAIL,
      idempotencyKey: `${ONBOARDING_CONFIRMATION_EMAIL}:${code}`,
      payload: { code },
    },
    deps,
  );
}

/** Reads the code as it is now: a code voided meanwhile owes no confirmation. */
export function onboardingConfirmationHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { code } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('entitlements')
      .innerJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
      .innerJoin('stores', 'stores.id', 'entitlements.store_id')
      .select([
        'entitlements.state',
        'entitlements.product_name',
        'entitlements.expires_at',
        'accounts.email',
        'stores.name as store_name',
      ])
      .where('entitlements.code', '=', code)
      .executeTakeFirst();
    if (!row || (row.state !== 'onboarded' && row.state !== 'active')) return;
    const shown = formatCode(code);
    const page = `${deps.publicUrl()}/account/codes/${code}`;
    const next =
      row.state === 'active'
        ? 'It is active: you can use it now.'
        : `${row.store_name} is activating it; we will show it as Active on your account when that is done.`;
    const validity =
      row.expires_at === null ? null : `It is valid until ${formatDateTime(row.expires_at)}.`;
    const content = paragraphEmail(`Registered: your ${row.product_name}`, [
      `Your ${row.product_name} (code ${shown}) from ${row.store_name} is registered.`,
      next,
      ...(validity === null ? [] : [validity]),
      `See it on your account: ${page}`,
    ]);
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...content });
  };
}
