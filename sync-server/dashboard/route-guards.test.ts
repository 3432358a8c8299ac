import { snapshotTables } from '../test-support/snapshot.ts';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { signedInAs } from './test-kit.ts';

/** Every route of a method, rebuilt from Fastify's route tree ("│   ├── /:id/pin (POST)"). */
function routesOf(app: FastifyInstance, method: 'GET' | 'POST'): string[] {
  const tree = app.printRoutes({ method, commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \((.+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    if (match[3]?.includes(method) === true) routes.push(path);
  }
  return routes;
}

/** Everything the database holds except session bookkeeping (each request moves last_used_at). */
function snapshot(t: TestApp): Promise<Record<string, string[]>> {
  return snapshotTables(t.db, ['dashboard_sessions']);
}

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
});
afterEach(async () => {
  await t.close();
});

describe('every dashboard page', () => {
  it('sends a signed-out browser, or a cashier, to the sign-in page and shows nothing', async () => {
    const pages = routesOf(t.app, 'GET').filter(
      (route) =>
        route.startsWith('/dashboard') &&
        route !== '/dashboard/signin' &&
        !route.startsWith('/dashboard/assets/'),
    );
    expect(pages).toEqual(
      expect.arrayContaining(['/dashboard', '/dashboard/staff/:id/deactivate']),
    );
    const cashier = await signedInAs(t, 'cashier');
    for (const route of pages) {
      const url = route.replace(/:[A-Za-z]+/g, 'x');
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect({ url, status: anonymous.statusCode }).toEqual({ url, status: 303 });
      expect(anonymous.headers.location).toMatch(/^\/dashboard\/signin\?next=/);
      expect({ url, status: (await cashier.get(url)).statusCode }).toEqual({ url, status: 303 });
    }
  });
});

describe('every dashboard form', () => {
  it('refuses a POST without the session token with 403 and changes nothing', async () => {
    const routes = routesOf(t.app, 'POST').filter(
      (route) => route.startsWith('/dashboard/') && route !== '/dashboard/signin',
    );
    // The sweep must see the routes it is meant to guard, nested ones included.
    expect(routes).toEqual(
      expect.arrayContaining([
        '/dashboard/signout',
        '/dashboard/staff/:id/password/clear',
        '/dashboard/catalogue/products/:id/template',
        '/dashboard/terminals/:id/revoke',
        '/dashboard/settings/:storeId',
      ]),
    );
    const admin = await signedInAs(t, 'admin');
    const before = await snapshot(t);
    for (const route of routes) {
      const url = route.replace(/:[A-Za-z]+/g, 'x');
      for (const csrf of ['', 'forged-token']) {
        const response = await admin.post(url, { csrf });
        expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
      }
    }
    expect(await snapshot(t)).toEqual(before);
  });
});
