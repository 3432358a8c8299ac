import type { AppContext } from '../deps.ts';
import { enqueueMagicLinkEmail } from '../mail/magic-link-email.ts';
import { enqueueProvisionalLinkEmail } from '../mail/provisional-link-email.ts';
import { createLoginToken, linksRequestedSince, type LoginRequest } from './login-tokens.ts';
import { inTransaction } from '../db/transaction.ts';

/** Per e-mail address, on top of the per-address limit of the portal: mailboxes are not a toy. */
export const LINKS_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

export type LinkOutcome = { kind: 'sent' } | { kind: 'limited'; retryAt: string };

/**
 * Creates a login token and, in the same transaction, the outbox job that e-mails its link
 * (DESIGN invariant 5: nothing is sent from the request). The answer never says whether an
 * account exists.
 */
export async function requestMagicLink(
  ctx: Pick<AppContext, 'db' | 'clock' | 'randomBytes' | 'masterKey'>,
  request: LoginRequest,
): Promise<LinkOutcome> {
  return inTransaction(ctx.db, async (trx): Promise<LinkOutcome> => {
    const now = ctx.clock().getTime();
    const recent = await linksRequestedSince(
      trx,
      request.email,
      new Date(now - HOUR_MS).toISOString(),
    );
    if (recent.count >= LINKS_PER_HOUR) {
      const oldest = recent.oldest === null ? now : Date.parse(recent.oldest);
      return { kind: 'limited', retryAt: new Date(oldest + HOUR_MS).toISOString() };
    }
    const link = await createLoginToken(trx, request, ctx);
    const enqueueEmail =
      request.purpose === 'provisional-claim' ? enqueueProvisionalLinkEmail : enqueueMagicLinkEmail;
    await enqueueEmail(trx, link, ctx);
    return { kind: 'sent' };
  });
}
