/**
 * A fuzz target is one route of the app and a generator of requests to it, half totally random
 * and half "almost valid" (a valid request with one thing changed). The builders below know the
 * three kinds of client: a terminal (bearer token, JSON), the portal (cookie + CSRF field,
 * forms) and the dashboard (session cookie + CSRF field, forms).
 */
import fc from 'fast-check';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { syncHeaders } from '../../sync-server/test-support/sales.ts';
import type { FuzzRequest } from './fuzz-kit.ts';
import {
  anyString,
  hostileValue,
  mutated,
  mutatedForm,
  pathSegment,
  queryString,
  randomFormBody,
} from './mutations.ts';
import type { PortalVisitor, World } from './world.ts';

export type Target = {
  /** "POST /api/v1/sync/sales/push", as the route is registered. */
  readonly route: string;
  /** Builds the request generator; may set up what the route needs (a fresh session…). */
  readonly requests: (w: World) => fc.Arbitrary<FuzzRequest> | Promise<fc.Arbitrary<FuzzRequest>>;
  /** Error codes that are a 502 on purpose (another machine did not answer). */
  readonly upstream?: readonly string[];
  /** Requests per run; default DEFAULT_RUNS. */
  readonly runs?: number;
};

export const DEFAULT_RUNS = 24;

type Params = Readonly<Record<string, readonly string[]>>;

/** `route`'s path with each `:param` drawn from `params` (valid values) or hostile segments. */
function paths(route: string, params: Params): fc.Arbitrary<string> {
  const path = route.slice(route.indexOf(' ') + 1);
  const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  if (names.length === 0) return fc.constant(path);
  return fc
    .tuple(...names.map((name) => pathSegment(params[name] ?? ['x'])))
    .map((values) =>
      names.reduce((url, name, i) => url.replace(`:${name}`, values[i] ?? ''), path),
    );
}

/** The same path with valid params only. */
function validPath(route: string, params: Params): fc.Arbitrary<string> {
  return paths(route, params).filter((url) => {
    const path = route.slice(route.indexOf(' ') + 1);
    return Object.entries(params).every(
      ([name, values]) => !path.includes(`:${name}`) || values.some((v) => url.includes(v)),
    );
  });
}

function methodOf(route: string): 'GET' | 'POST' {
  return route.startsWith('POST ') ? 'POST' : 'GET';
}

/** Terminal headers: mostly valid, else no token, a wrong one, another store's, a bad protocol. */
function terminalHeaders(w: World, validRate: number): fc.Arbitrary<Record<string, string>> {
  const valid = syncHeaders(w.till.token);
  return fc.oneof(
    { weight: validRate, arbitrary: fc.constant(valid) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        syncHeaders('not-a-token'),
        syncHeaders('x'.repeat(5000)),
        { ...valid, [PROTOCOL_HEADER]: '0' },
        { ...valid, [PROTOCOL_HEADER]: 'abc' },
        { ...valid, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) },
        { ...valid, authorization: `Basic ${w.till.token}` },
        { ...valid, authorization: 'Bearer' },
        syncHeaders(w.stranger.token),
      ),
    },
  );
}

/** A JSON body as sent on the wire (any JSON value, not only objects). */
function json(value: unknown): { payload: string; headers: Record<string, string> } {
  return {
    payload: value === undefined ? 'null' : JSON.stringify(value),
    headers: { 'content-type': 'application/json' },
  };
}

/** Bodies that are not JSON at all, or JSON mislabelled. */
const brokenJson = fc.constantFrom(
  { payload: '{"rows": [', headers: { 'content-type': 'application/json' } },
  { payload: '', headers: { 'content-type': 'application/json' } },
  { payload: 'rows=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { payload: '{}', headers: { 'content-type': 'text/plain' } },
  { payload: '\u0000\u0001', headers: { 'content-type': 'application/octet-stream' } },
  { payload: '{"__proto__": {"x": 1}}', headers: { 'content-type': 'application/json' } },
  { payload: '{"a": 1, "a": 2}', headers: { 'content-type': 'application/json' } },
);

export type ApiSpec = {
  readonly params?: (w: World) => Params;
  /** A valid body for a POST (absent: the route takes none). */
  readonly body?: (w: World) => unknown;
  /** Query keys a GET reads, and a valid query. */
  readonly query?: { readonly keys: readonly string[]; readonly valid?: Record<string, string> };
  /** Never send a valid token (a valid request would not end, like the live stream). */
  readonly refusedOnly?: boolean;
  /** Turns a request into one that is safe to send (e.g. never a print to a real address). */
  readonly tame?: (body: unknown, w: World) => unknown;
};

/** A terminal's JSON API route. */
export function apiTarget(
  route: string,
  spec: ApiSpec,
  extra: Partial<Omit<Target, 'route' | 'requests'>> = {},
): Target {
  const method = methodOf(route);
  return {
    route,
    ...extra,
    requests: (w) => {
      const params = spec.params?.(w) ?? {};
      const valid = spec.body?.(w) ?? {};
      const tame = (body: unknown) => (spec.tame ? spec.tame(body, w) : body);
      const headers = spec.refusedOnly
        ? terminalHeaders(w, 0).filter(
            (h) =>
              h.authorization !== `Bearer ${w.till.token}` &&
              h.authorization !== `Bearer ${w.stranger.token}`,
          )
        : terminalHeaders(w, 4);
      const query = spec.query ? queryString(spec.query.keys, spec.query.valid) : fc.constant('');
      const bodies =
        method === 'GET'
          ? fc.constant(undefined)
          : fc.oneof(
              { weight: 4, arbitrary: mutated(valid, w.ids).map((b) => json(tame(b))) },
              { weight: 2, arbitrary: hostileValue.map((b) => json(tame(b))) },
              { weight: 1, arbitrary: brokenJson },
              { weight: 1, arbitrary: fc.constant(json(tame(valid))) },
            );
      return fc
        .record({
          url: fc.oneof({ weight: 3, arbitrary: validPath(route, params) }, paths(route, params)),
          query,
          headers,
          body: bodies,
        })
        .map(({ url, query: q, headers: h, body }) => ({
          method,
          url: `${url}${q}`,
          headers: { ...h, ...body?.headers },
          ...(body === undefined ? {} : { payload: body.payload }),
        }));
    },
  };
}

export type FormSpec = {
  readonly params?: (w: World) => Params;
  /** Valid form fields of a POST (the CSRF field is added). */
  readonly form?: (w: World) => Record<string, string>;
  readonly query?: { readonly keys: readonly string[]; readonly valid?: Record<string, string> };
  /** Who sends it: cookie and CSRF field (default: nobody signed in, no cookie). */
  readonly as?: (w: World) => PortalVisitor | Promise<PortalVisitor>;
};

const formType = { 'content-type': 'application/x-www-form-urlencoded' };

/** An HTML route (portal or dashboard): forms and query strings, with and without the session. */
export function pageTarget(
  route: string,
  spec: FormSpec,
  extra: Partial<Omit<Target, 'route' | 'requests'>> = {},
): Target {
  const method = methodOf(route);
  return {
    route,
    ...extra,
    requests: async (w) => {
      const params = spec.params?.(w) ?? {};
      const who = (await spec.as?.(w)) ?? { cookie: '', csrf: '' };
      const valid = spec.form?.(w) ?? {};
      const session = fc.oneof(
        { weight: 4, arbitrary: fc.constant({ cookie: who.cookie, csrf: who.csrf }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            { cookie: '', csrf: who.csrf },
            { cookie: who.cookie, csrf: '' },
            { cookie: who.cookie, csrf: 'y'.repeat(43) },
            { cookie: w.visitor.cookie, csrf: w.visitor.csrf },
            { cookie: 'entitle_dashboard=nope; entitle_session=nope', csrf: who.csrf },
          ),
        },
      );
      const query = spec.query ? queryString(spec.query.keys, spec.query.valid) : fc.constant('');
      const bodies =
        method === 'GET'
          ? fc.constant(undefined)
          : fc.oneof(
              { weight: 4, arbitrary: mutatedForm(valid, w.ids) },
              { weight: 2, arbitrary: randomFormBody },
              { weight: 1, arbitrary: fc.constant(new URLSearchParams(valid).toString()) },
            );
      return fc
        .record({
          url: fc.oneof({ weight: 3, arbitrary: validPath(route, params) }, paths(route, params)),
          query,
          session,
          body: bodies,
          asJson: fc.boolean().map((b) => b && method === 'POST'),
        })
        .map(({ url, query: q, session: s, body, asJson }): FuzzRequest => {
          const headers = s.cookie === '' ? {} : { cookie: s.cookie };
          if (body === undefined) return { method, url: `${url}${q}`, headers };
          const fields = new URLSearchParams(body);
          if (s.csrf !== '' && !fields.has('csrf')) fields.set('csrf', s.csrf);
          // Sometimes the same fields as JSON: the forms must not trust the content type.
          return asJson
            ? {
                method,
                url: `${url}${q}`,
                headers: { ...headers, 'content-type': 'application/json' },
                payload: JSON.stringify(Object.fromEntries(fields)),
              }
            : {
                method,
                url: `${url}${q}`,
                headers: { ...headers, ...formType },
                payload: fields.toString(),
              };
        });
    },
  };
}

/** Any text field value for forms the fuzzers fill in. */
export const text = anyString;
