import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { toHttpError } from '../http/errors.ts';
import { messagePage } from './pages.ts';

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** A POST whose CSRF pair does not match changes nothing and says what to do. */
export function refuseForgedForm(reply: FastifyReply): FastifyReply {
  return page(
    reply,
    403,
    messagePage(
      'Please try again',
      'This form is out of date or came from another site. Reload the page and try again.',
    ),
  );
}

/**
 * What every scope of customer-facing HTML shares: form bodies, security headers, errors as
 * pages. Each scope is encapsulated, so the API keeps its JSON errors.
 */
export async function setUpPortalScope(portal: FastifyInstance): Promise<void> {
  await portal.register(formbody);
  portal.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  portal.setErrorHandler((error, request, reply) => {
    const http = toHttpError(error);
    if (http.statusCode >= 500) request.log.error({ err: error }, 'portal request failed');
    const title = http.statusCode === 429 ? 'Too many attempts' : 'Something went wrong';
    return page(reply, http.statusCode, messagePage(title, http.message));
  });
}

/** One text field of a posted form; '' when missing or not text. */
export function formField(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 1000) : '';
}
