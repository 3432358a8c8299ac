import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import { seal, unseal } from '../keys/seal.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { html } from '../redeem/html.ts';
import type { Mailer } from './mailer.ts';

export const MAGIC_LINK_EMAIL = 'magic-link-email';

/**
 * The token must reach the e-mail, but the database keeps only its hash: the outbox row holds
 * it sealed under the master key (bound to the hash), so a copy of the database alone opens
 * no link.
 */
const Payload = z.object({ tokenHash: z.string().min(1), sealedToken: z.string().min(1) });
const sealContext = (tokenHash: string): string => `magic-link:${tokenHash}`;

type Deps = {
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly masterKey: Uint8Array;
};

/** Call in the transaction that creates the login token. */
export async function enqueueMagicLinkEmail(
  trx: DbOrTrx,
  link: { readonly token: string; readonly tokenHash: string },
  deps: Deps,
): Promise<void> {
  const sealedToken = seal(
    deps.masterKey,
    Buffer.from(link.token, 'utf8'),
    sealContext(link.tokenHash),
    deps.randomBytes,
  );
  await enqueue(
    trx,
    {
      kind: MAGIC_LINK_EMAIL,
      idempotencyKey: `${MAGIC_LINK_EMAIL}:${newId('link', deps.randomBytes)}`,
      payload: { tokenHash: link.tokenHash, sealedToken },
    },
    deps,
  );
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
    html: html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${input.subject}</title>
        </head>
        <body style="font-family:sans-serif;line-height:1.4">
          <p>${input.intro}</p>
          <p><a href="${input.link}">${input.subject}</a></p>
          <p>${after}</p>
        </body>
      </html>`.value,
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
    const { tokenHash, sealedToken } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('login_tokens')
      .select(['email', 'purpose', 'code'])
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', isoNow(deps.clock))
      .executeTakeFirst();
    if (!row) return;
    const token = Buffer.from(unseal(deps.masterKey, sealedToken, sealContext(tokenHash))).toString(
      'utf8',
    );
    const link = `${deps.publicUrl()}/auth/link/${token}`;
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
