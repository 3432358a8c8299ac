import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { toHttpError } from '../http/errors.ts';
import { html } from '../redeem/html.ts';
import { dashboardPage, plainDashboardPage, sendPage } from './layout.ts';
import { DashboardRedirect, signedInUserOf } from './session.ts';

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const TITLES: Record<number, string> = {
  403: 'Not allowed',
  404: 'Not found',
  429: 'Too many attempts',
};

/**
 * What every scope of dashboard routes shares (call it first in `app.register(async (scope) =>
 * …)`): form bodies, security headers, no caching of pages with business data, and errors as
 * pages — a DashboardRedirect becomes a 303, an HttpError a page with its sentence (with the
 * nav when the user is known). Each scope is encapsulated, so the API keeps its JSON errors.
 */
export async function setUpDashboardScope(scope: FastifyInstance): Promise<void> {
  await scope.register(formbody);
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  scope.setErrorHandler((error, request, reply) => {
    if (error instanceof DashboardRedirect) return reply.redirect(error.location, 303);
    const http = toHttpError(error);
    if (http.statusCode >= 500) request.log.error({ err: error }, 'dashboard request failed');
    const title = TITLES[http.statusCode] ?? 'Something went wrong';
    const body = html`<p role="alert">${http.message}</p>
      <p><a href="/dashboard">Back to the overview</a></p>`;
    const user = signedInUserOf(request);
    return sendPage(
      reply,
      http.statusCode,
      user ? dashboardPage({ title, user, body }) : plainDashboardPage(title, body),
    );
  });
}
