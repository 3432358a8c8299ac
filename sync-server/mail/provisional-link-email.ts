import { z } from 'zod';
import { formatCode, parseCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import { seal, unseal } from '../keys/seal.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { renderMagicLinkEmail } from './magic-link-email.ts';
import type { Mailer } from './mailer.ts';

/**
 * The claim link for a genuine code whose sale has not reached the server: there is no
 * entitlement row to name the product, so the e-mail names the code and the shop whose
 * terminal signed it. Sealed like magic-link-email.ts (the database keeps only the hash).
 */
export const PROVISIONAL_LINK_EMAIL = 'provisional-link-email';

const Payload = z.object({ tokenHash: z.string().min(1), sealedToken: z.string().min(1) });
const sealContext = (tokenHash: string): string => `provisional-link:${tokenHash}`;

/** Call in the transaction that creates the login token. */
export async function enqueueProvisionalLinkEmail(
  trx: DbOrTrx,
  link: { readonly token: string; readonly tokenHash: string },
  deps: {
    readonly clock: Clock;
    readonly randomBytes: RandomBytes;
    readonly masterKey: Uint8Array;
  },
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
      kind: PROVISIONAL_LINK_EMAIL,
      idempotencyKey: `${PROVISIONAL_LINK_EMAIL}:${newId('link', deps.randomBytes)}`,
      payload: { tokenHash: link.tokenHash, sealedToken },
    },
    deps,
  );
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
    const { tokenHash, sealedToken } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('login_tokens')
      .select(['email', 'code'])
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', isoNow(deps.clock))
      .executeTakeFirst();
    if (!row?.code) return;
    const parsed = parseCode(row.code);
    const prefix = parsed.ok ? parsed.value.prefix : '';
    const shop = await deps.db
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select('stores.name')
      .where('terminals.code_prefix', '=', prefix)
      .executeTakeFirst();
    const token = Buffer.from(unseal(deps.masterKey, sealedToken, sealContext(tokenHash))).toString(
      'utf8',
    );
    const content = renderMagicLinkEmail({
      subject: `Claim your code from ${shop?.name ?? 'the shop'}`,
      intro: `Open this link to claim code ${formatCode(row.code)} now. The shop has not sent us its sale yet; your claim is confirmed when it arrives.`,
      link: `${deps.publicUrl()}/auth/link/${token}`,
    });
    await deps.mailer.send({ to: row.email, messageId: delivery.idempotencyKey, ...content });
  };
}
