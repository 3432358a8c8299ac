import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookies a request carries; the first of a repeated name wins, bad encodings are skipped. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export type CookieOptions = {
  readonly sameSite: 'Lax' | 'Strict';
  /** Seconds; 0 deletes the cookie. Omitted: a session cookie. */
  readonly maxAge?: number;
  /** Only when the portal is served over https (PUBLIC_URL), or browsers drop it on http. */
  readonly secure: boolean;
};

/** Always HttpOnly and Path=/: no script reads our cookies, every portal page sends them. */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly'];
  parts.push(`SameSite=${options.sameSite}`);
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = Array.isArray(existing)
    ? existing.map(String)
    : existing === undefined
      ? []
      : [String(existing)];
  reply.header('set-cookie', [...list.filter((c) => !c.startsWith(`${name}=`)), parts.join('; ')]);
}

export function isSecureUrl(url: string): boolean {
  return url.startsWith('https://');
}
