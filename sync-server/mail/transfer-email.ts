import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { html } from '../redeem/html.ts';
import { emailHtml } from './email-document.ts';
import type { Mailer } from './mailer.ts';

/** A claimed code its holder handed to another person: the new holder is told. */
export const TRANSFER_EMAIL = 'transfer-email';

const Payload = z.object({ code: z.string().min(1), accountId: z.string().min(1) });

/**
 * Call in the transaction that transfers the code. A code may pass through several hands, so the
 * key names the transfer's event: each transfer owes its new holder one e-mail.
 */
export async function enqueueTransferEmail(
  trx: DbOrTrx,
  transfer: { readonly code: string; readonly accountId: string; readonly at: string },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: TRANSFER_EMAIL,
      idempotencyKey: `${TRANSFER_EMAIL}:${transfer.code}:${transfer.accountId}:${transfer.at}`,
      payload: { code: transfer.code, accountId: transfer.accountId },
    },
    deps,
  );
}

export function renderTransferEmail(input: {
  readonly code: string;
  readonly productName: string;
  readonly storeName: string;
  /** PUBLIC_URL without a trailing slash. */
  readonly publicUrl: string;
}): { subject: string; text: string; html: string } {
  const shown = formatCode(input.code);
  const subject = `${input.productName} from ${input.storeName} is yours now`;
  const intro = `Code ${shown} (${input.productName} from ${input.storeName}) was transferred to your account.`;
  const account = `${input.publicUrl}/account`;
  const signin = `${input.publicUrl}/signin`;
  const how = `See it on your account: ${account} (sign in with this e-mail address at ${signin}).`;
  return {
    subject,
    text: [intro, '', how, '', 'If you did not expect this, ignore this e-mail.', ''].join('\n'),
    html: emailHtml(
      subject,
      html`<p>${intro}</p>
        <p>
          <a href="${account}">See it on your account</a> (sign in with this e-mail address at
          <a href="${signin}">${signin}</a>).
        </p>
        <p>If you did not expect this, ignore this e-mail.</p>`,
    ),
  };
}

/** Sends only while the account still holds the code: a code passed on again owes nothing. */
export function transferEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { code, accountId } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('entitlements')
      .innerJoin('stores', 'stores.id', 'entitlements.store_id')
      .innerJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
      .select(['entitlements.product_name', 'stores.name as store_name', 'accounts.email'])
      .where('entitlements.code', '=', code)
      .where('entitlements.holder_account_id', '=', accountId)
      .where('entitlements.state', '!=', 'voided')
      .executeTakeFirst();
    if (!row) return;
    const email = renderTransferEmail({
      code,
      productName: row.product_name,
      storeName: row.store_name,
      publicUrl: deps.publicUrl(),
    });
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...email });
  };
}
