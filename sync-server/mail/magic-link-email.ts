import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock } from '../deps.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { html } from '../redeem/html.ts';
import { emailHtml } from './email-document.ts';
import type { Mailer } from './mailer.ts';
import { enqueueSealedLink, openSealedLink, type LinkDeps } from './sealed-link.ts';

export const MAGIC_LINK_EMAIL = 'magic-link-email';

/** Call in the transaction that creates the login token (sign-in, or claim of a known code). */
export function enqueueMagicLinkEmail(
  trx: DbOrTrx,
  link: { readonly token: string; readonly tokenHash: string },
  deps: LinkDeps,
): Promise<void> {
  return enqueueSealedLink(trx, MAGIC_LINK_EMAIL, link, deps);
}

export function renderMagicLinkEmail(input: {
  readonly subject: string;
  readonly intro: string;
  readonly link: string;
}): { subject: string; text: string; html: string } {
  const after =
    'The link works once, for 15 minutes. If you did not ask for it, ignore this e-mail.';
  return {
    subject: input.subject,
    text: [input.intro, '', input.link, '', after, ''].join('\n'),
    html: emailHtml(
      input.subject,
      html`<p>${input.intro}</p>
        <p><a href="${input.link}">${input.subject}</a></p>
        <p>${after}</p>`,
    ),
  };
}

/** Sends the link; a token already used or expired owes no e-mail any more. */
export function magicLinkEmailHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly masterKey: Uint8Array;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const row = await openSealedLink(MAGIC_LINK_EMAIL, delivery.payload, deps);
    if (!row) return;
    const link = row.url;
    let content;
    if (row.purpose === 'claim' && row.code !== null) {
      const code = await deps.db
        .selectFrom('entitlements')
        .innerJoin('stores', 'stores.id', 'entitlements.store_id')
        .select(['entitlements.product_name', 'stores.name as store_name'])
        .where('entitlements.code', '=', row.code)
        .executeTakeFirstOrThrow();
      content = renderMagicLinkEmail({
        subject: `Claim your ${code.product_name}`,
        intro: `Open this link to add ${code.product_name} (code ${formatCode(row.code)}) from ${code.store_name} to your account:`,
        link,
      });
    } else {
      const stores = await deps.db.selectFrom('stores').select('name').limit(2).execute();
      const name = stores.length === 1 && stores[0] ? stores[0].name : 'Entitle';
      content = renderMagicLinkEmail({
        subject: `Sign in to ${name}`,
        intro: `Open this link to sign in to ${name} and see your codes:`,
        link,
      });
    }
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...content });
  };
}
