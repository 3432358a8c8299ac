import type { FastifyReply } from 'fastify';
import { page } from '../redeem/portal-scope.ts';
import { checkInboxPage, tooManyLinksPage } from './pages.ts';
import { LINKS_PER_HOUR, type LinkOutcome } from './request-link.ts';

/**
 * The one answer to "send me a link": "Check your inbox" whether or not an account exists or a
 * link was sent (null), so the form is no oracle. Only the per-address limit says otherwise.
 */
export function answerLinkRequest(
  reply: FastifyReply,
  outcome: LinkOutcome | null,
  email: string,
): FastifyReply {
  if (outcome?.kind === 'limited') {
    return page(reply, 429, tooManyLinksPage(LINKS_PER_HOUR, outcome.retryAt));
  }
  return page(reply, 200, checkInboxPage(email));
}
