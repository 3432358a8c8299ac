import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../sync-server/test-support/harness.ts';
import { apiTargets } from './api-targets.ts';
import { dashboardTargets } from './dashboard-targets.ts';
import { portalTargets } from './portal-targets.ts';
import { routesOf } from './route-list.ts';

/** Routes with nothing to fuzz, each with why. Keep it short. */
const NOT_FUZZED: Readonly<Record<string, string>> = {};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => {
  await t.close();
});

describe('fuzz coverage', () => {
  it('reads the routes of the built app', () => {
    const routes = routesOf(t.app);
    expect(routes).toContain('POST /api/v1/sync/sales/push');
    expect(routes).toContain('GET /redeem/:code');
    expect(routes).toContain('POST /dashboard/staff/:id/password/clear');
    expect(routes.length).toBeGreaterThan(80);
  });

  it('has a fuzz target for every route of the app, and none for a route that is gone', () => {
    const targets = [...apiTargets(), ...portalTargets(), ...dashboardTargets()].map(
      (target) => target.route,
    );
    const routes = routesOf(t.app);
    const missing = routes.filter((route) => !targets.includes(route) && !(route in NOT_FUZZED));
    expect(missing, 'routes without a fuzz target (add one to test/fuzz/*-targets.ts)').toEqual([]);
    expect(targets.filter((route) => !routes.includes(route))).toEqual([]);
    expect(new Set(targets).size).toBe(targets.length);
  });
});
