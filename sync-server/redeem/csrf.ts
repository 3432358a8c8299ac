import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../deps.ts';
import { isSecureUrl, readCookie, setCookie } from '../http/cookies.ts';

/**
 * Double-submit CSRF protection for the portal's forms: a random value in an HttpOnly,
 * SameSite=Strict cookie and the same value in each form's hidden `csrf` field. Another site can
 * make a browser POST here, but cannot read or set our cookie, so it cannot make the pair match.
 * Signed-in forms use the session's own token instead (customers/sessions.ts).
 */
export const CSRF_COOKIE = 'entitle_csrf';
export const CSRF_FIELD = 'csrf';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,64}$/;

/** The token of this browser, set as a cookie first if it has none: call it on GET pages. */
export function csrfTokenFor(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: Pick<AppContext, 'randomBytes' | 'publicUrl'>,
): string {
  const existing = readCookie(request, CSRF_COOKIE);
  if (existing !== undefined && TOKEN_PATTERN.test(existing)) return existing;
  const token = Buffer.from(ctx.randomBytes(32)).toString('base64url');
  setCookie(reply, CSRF_COOKIE, token, {
    sameSite: 'Strict',
    secure: isSecureUrl(ctx.publicUrl()),
  });
  return token;
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The hidden field of a posted form, if it has one. */
export function postedCsrf(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/** True when the form's field matches `expected`, or (by default) this browser's CSRF cookie. */
export function csrfOk(request: FastifyRequest, expected?: string): boolean {
  const posted = postedCsrf(request);
  const wanted = expected ?? readCookie(request, CSRF_COOKIE);
  return (
    posted !== undefined && wanted !== undefined && posted !== '' && sameSecret(posted, wanted)
  );
}
