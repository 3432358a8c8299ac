/**
 * Sizes are limited: every POST route answers an oversize body, deeply nested JSON and a huge
 * array with a 4xx and a sentence, never a crash or a 5xx, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncHeaders } from '../../sync-server/test-support/sales.ts';
import { checkRequest, snapshot, type FuzzRequest } from './fuzz-kit.ts';
import { routesOf } from './route-list.ts';
import { fuzzWorld, type World } from './world.ts';

let w: World;
let posts: string[];
beforeAll(async () => {
  w = await fuzzWorld();
  posts = routesOf(w.t.app)
    .filter((route) => route.startsWith('POST '))
    .map((route) => route.slice('POST '.length).replace(/:\w+/g, 'x'));
});
afterAll(async () => {
  await w.close();
});

/** The credentials each part expects: a terminal's token, or the dashboard's or portal's cookie. */
function headersFor(url: string): Record<string, string> {
  if (url.startsWith('/api/')) return syncHeaders(w.till.token);
  if (url.startsWith('/dashboard')) return { cookie: w.manager.cookie };
  return { cookie: w.customer.cookie };
}

/**
 * Sends `payload` to every POST route: never a 5xx, a refusal has a sentence and changes nothing
 * (checkRequest). Routes that take no body (capture, cancel, sign-out…) may accept it.
 */
async function sentEverywhere(
  payload: string,
  contentType: string,
): Promise<{ statuses: Map<number, number>; refused: number }> {
  const statuses = new Map<number, number>();
  let refused = 0;
  let before = await snapshot(w.t.db);
  for (const url of posts) {
    const request: FuzzRequest = {
      method: 'POST',
      url,
      payload,
      headers: { ...headersFor(url), 'content-type': contentType },
    };
    const checked = await checkRequest(w.t, request, before);
    if (checked.outcome === 'refused') refused += 1;
    statuses.set(checked.response.statusCode, (statuses.get(checked.response.statusCode) ?? 0) + 1);
    before = checked.after;
  }
  return { statuses, refused };
}

describe('sizes', () => {
  it('finds the POST routes', () => {
    expect(posts.length).toBeGreaterThan(40);
  });

  it('refuses a JSON body over 1 MiB on every POST route with 413', async () => {
    const payload = JSON.stringify({ rows: 'x'.repeat(1_100_000) });
    const { statuses } = await sentEverywhere(payload, 'application/json');
    expect([...statuses]).toEqual([[413, posts.length]]);
  });

  it('refuses a form over 1 MiB on every POST route: 413, or 415 from the JSON-only API', async () => {
    const payload = `email=${'a'.repeat(1_100_000)}`;
    const { statuses } = await sentEverywhere(payload, 'application/x-www-form-urlencoded');
    const api = posts.filter((url) => url.startsWith('/api/')).length;
    expect(new Map(statuses)).toEqual(
      new Map([
        [413, posts.length - api],
        [415, api],
      ]),
    );
  });

  it('survives JSON nested 100 000 deep (under 1 MiB) on every POST route', async () => {
    const payload = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { refused } = await sentEverywhere(payload, 'application/json');
    expect(refused).toBeGreaterThan(posts.length / 2);
  });

  it('survives a 200 000-item array on every POST route', async () => {
    const payload = JSON.stringify({ rows: new Array(200_000).fill(0), lineIds: [] });
    const { refused } = await sentEverywhere(payload, 'application/json');
    expect(refused).toBeGreaterThan(posts.length / 2);
  });
});
