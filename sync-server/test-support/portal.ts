import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** The page with runs of whitespace collapsed, as a browser renders text. */
export const squash = (body: string): string => body.replace(/\s+/g, ' ');

/** The value of the first hidden `csrf` field on a page. */
export function csrfFieldOf(body: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(body);
  if (!match?.[1]) throw new Error('The page has no csrf field.');
  return match[1];
}

export type PortalPostOptions = {
  /** The hidden field to send: default the one of the last page that had one; null: none. */
  readonly csrf?: string | null;
};

/**
 * A browser in miniature for the portal: keeps cookies (like a cookie jar, without expiry),
 * remembers the CSRF field of the last page it saw and sends it with forms, as a real form does.
 */
export type PortalClient = {
  get(url: string): Promise<LightMyRequestResponse>;
  post(
    url: string,
    form?: Record<string, string>,
    options?: PortalPostOptions,
  ): Promise<LightMyRequestResponse>;
  /** Current cookie values by name. */
  readonly cookies: Map<string, string>;
  /** The CSRF field of the last page that had one. */
  csrf(): string;
};

export function portalClient(app: FastifyInstance): PortalClient {
  const cookies = new Map<string, string>();
  let lastCsrf: string | undefined;
  const cookieHeader = (): Record<string, string> =>
    cookies.size === 0
      ? {}
      : { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  const remember = (response: LightMyRequestResponse): LightMyRequestResponse => {
    const header = response.headers['set-cookie'];
    const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
    for (const line of list) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (attributes.some((a) => a.trim() === 'Max-Age=0')) cookies.delete(name);
      else cookies.set(name, value);
    }
    const field = /name="csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (field !== undefined) lastCsrf = field;
    return response;
  };
  return {
    cookies,
    csrf: () => {
      if (lastCsrf === undefined) throw new Error('No page with a csrf field was seen yet.');
      return lastCsrf;
    },
    get: async (url) => remember(await app.inject({ method: 'GET', url, headers: cookieHeader() })),
    post: async (url, form = {}, options = {}) => {
      const csrf = options.csrf === undefined ? lastCsrf : options.csrf;
      const fields = csrf === null || csrf === undefined ? form : { ...form, csrf };
      return remember(
        await app.inject({
          method: 'POST',
          url,
          payload: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...cookieHeader() },
        }),
      );
    },
  };
}

/** The Set-Cookie lines of a response, one string each. */
export function setCookieLines(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}
