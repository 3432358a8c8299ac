import { formatCode, parseCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock } from '../deps.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { renderMagicLinkEmail } from './magic-link-email.ts';
import type { Mailer } from './mailer.ts';
import { enqueueSealedLink, openSealedLink, type LinkDeps } from './sealed-link.ts';

/**
 * The claim link for a genuine code whose sale has not reached the server: there is no
 * entitlement row to name the product, so the e-mail names the code and the shop whose
 * terminal signed it.
 */
export const PROVISIONAL_LINK_EMAIL = 'provisional-link-email';

/** Call in the transaction that creates the login token. */
export function enqueueProvisionalLinkEmail(
  trx: DbOrTrx,
  link: { readonly token: string; readonly tokenHash: string },
  deps: LinkDeps,
): Promise<void> {
  return enqueueSealedLink(trx, PROVISIONAL_LINK_EMAIL, link, deps);
}

/** Sends the link; a token already used or expired owes no e-mail any more. */
export function provisionalLinkEmailHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly masterKey: Uint8Array;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const row = await openSealedLink(PROVISIONAL_LINK_EMAIL, delivery.payload, deps);
    if (!row?.code) return;
    const parsed = parseCode(row.code);
    const prefix = parsed.ok ? parsed.value.prefix : '';
    const shop = await deps.db
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select('stores.name')
      .where('terminals.code_prefix', '=', prefix)
      .executeTakeFirst();
    const content = renderMagicLinkEmail({
      subject: `Claim your code from ${shop?.name ?? 'the shop'}`,
      intro: `Open this link to claim code ${formatCode(row.code)} now. The shop has not sent us its sale yet; your claim is confirmed when it arrives.`,
      link: row.url,
    });
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...content });
  };
}
