import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { dashboardActionsOn, recordDashboardAction } from './actions.ts';
import { setUpDashboardScope } from './scope.ts';
import { requireDashboardUser } from './session.ts';
import { addDashboardUser, formBody, signedIn, signedInAs } from './test-kit.ts';
import { canSeeStore, requireVisibleStore, storesVisibleTo } from './visible-stores.ts';

let t: TestApp;
/** A separate app with one admin-only page and one form, over the test app's database. */
let probe: FastifyInstance;
let changes: number;
const ctx = () => ({ db: t.db, clock: t.clock.now });
beforeEach(async () => {
  t = await createTestApp();
  changes = 0;
  probe = Fastify();
  await probe.register(async (scope) => {
    await setUpDashboardScope(scope);
    scope.get('/dashboard/admin-only', async (request) => {
      const user = await requireDashboardUser(ctx(), request, 'admin');
      return `hello ${user.name}`;
    });
    scope.post('/dashboard/change', async (request) => {
      await requireDashboardUser(ctx(), request);
      changes += 1;
      return 'changed';
    });
  });
});
afterEach(async () => {
  await probe.close();
  await t.close();
});

describe('requireDashboardUser', () => {
  it('answers a manager on an admin page with a 403 page inside the dashboard', async () => {
    const manager = await signedInAs(t, 'manager');
    const response = await probe.inject({
      method: 'GET',
      url: '/dashboard/admin-only',
      headers: { cookie: manager.cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('text/html');
    expect(squash(response.body)).toContain('Only an admin can open this page.');
    expect(squash(response.body)).toContain('Sign out'); // the nav: the user is known
  });

  it('refuses a POST without the session token (or with another session’s) and runs nothing', async () => {
    const manager = await signedInAs(t, 'manager');
    const other = await signedInAs(t, 'manager');
    for (const csrf of [undefined, '', other.csrf]) {
      const response = await probe.inject({
        method: 'POST',
        url: '/dashboard/change',
        headers: { cookie: manager.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(csrf === undefined ? {} : { csrf }),
      });
      expect(response.statusCode).toBe(403);
      expect(squash(response.body)).toContain('Reload the page and try again.');
    }
    expect(changes).toBe(0);
    const ok = await probe.inject({
      method: 'POST',
      url: '/dashboard/change',
      headers: { cookie: manager.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ csrf: manager.csrf }),
    });
    expect(ok.statusCode).toBe(200);
    expect(changes).toBe(1);
  });

  it('sends a signed-out POST to the sign-in page without running it', async () => {
    const response = await probe.inject({ method: 'POST', url: '/dashboard/change' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/dashboard/signin');
    expect(changes).toBe(0);
  });

  it('lets an admin in', async () => {
    const admin = await signedInAs(t, 'admin');
    const response = await probe.inject({
      method: 'GET',
      url: '/dashboard/admin-only',
      headers: { cookie: admin.cookie },
    });
    expect(response.body).toBe(`hello ${admin.staff.name}`);
  });

  it('gives a cashier no dashboard at all, even with a session row', async () => {
    const cashier = await signedIn(t, await addDashboardUser(t, { role: 'cashier' }));
    const response = await cashier.get('/dashboard');
    expect(response.statusCode).toBe(303);
  });
});

describe('storesVisibleTo', () => {
  it('shows an admin of every store all stores, anyone else only their own', async () => {
    const other = await t.addStore('Other Shop');
    const admin = { role: 'admin' as const, storeId: null };
    const manager = { role: 'manager' as const, storeId: t.store.id };
    const storeAdmin = { role: 'admin' as const, storeId: other.id };
    expect((await storesVisibleTo(t.db, admin)).map((s) => s.name)).toEqual([
      'Other Shop',
      'Test Shop',
    ]);
    expect((await storesVisibleTo(t.db, manager)).map((s) => s.id)).toEqual([t.store.id]);
    expect((await storesVisibleTo(t.db, storeAdmin)).map((s) => s.id)).toEqual([other.id]);
    expect(canSeeStore(manager, other.id)).toBe(false);
    await expect(requireVisibleStore(t.db, manager, other.id)).rejects.toThrow(
      'There is no such store among yours.',
    );
    await expect(requireVisibleStore(t.db, admin, 'store_missing')).rejects.toThrow(
      'There is no such store among yours.',
    );
    expect((await requireVisibleStore(t.db, admin, other.id)).name).toBe('Other Shop');
  });
});

describe('recordDashboardAction', () => {
  it('keeps who did what to which subject, in order', async () => {
    const manager = await addDashboardUser(t);
    const deps = {
      clock: t.clock.now,
      randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
    };
    await recordDashboardAction(
      t.db,
      {
        user: manager,
        storeId: t.store.id,
        action: 'terminal.revoke',
        subject: 'term_1',
        detail: { reason: 'lost' },
      },
      deps,
    );
    t.clock.advance(1000);
    await recordDashboardAction(
      t.db,
      {
        user: manager,
        storeId: t.store.id,
        action: 'terminal.rename',
        subject: 'term_1',
        detail: {},
      },
      deps,
    );
    const history = await dashboardActionsOn(t.db, 'term_1');
    expect(history.map((a) => [a.action, a.staffId, a.storeId, a.detail])).toEqual([
      ['terminal.revoke', manager.id, t.store.id, { reason: 'lost' }],
      ['terminal.rename', manager.id, t.store.id, {}],
    ]);
  });
});
