import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../sync-server/test-support/harness.ts';
import { apiTargets } from './api-targets.ts';
import { dashboardTargets } from './dashboard-targets.ts';
import { portalTargets } from './portal-targets.ts';
import { differences, snapshot } from './fuzz-kit.ts';
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

describe('the table snapshot the fuzzers compare', () => {
  it('sees a changed row, and not a diagnostic column', async () => {
    const before = await snapshot(t.db);
    expect(differences(before, await snapshot(t.db))).toBe('');
    await t.db
      .updateTable('products')
      .set({ name: 'Renamed' })
      .where('id', '=', 'prod-gift-25')
      .execute();
    expect(differences(before, await snapshot(t.db))).toMatch(/^products: \+1 -1/);
    const renamed = await snapshot(t.db);
    await t.db.updateTable('stores').set({ name: 'Renamed shop' }).execute();
    expect(differences(renamed, await snapshot(t.db))).toMatch(/^stores: /);
    const other = await t.addStore('Other');
    await t.db
      .insertInto('terminals')
      .values({
        id: 'term-x',
        store_id: other.id,
        name: 'Till X',
        code_prefix: 'ZZZZ',
        token_hash: 'x',
        code_key_enc: 'x',
        created_at: '2026-11-26T10:00:00.000Z',
        last_seen_at: null,
        revoked_at: null,
        reported_pending: null,
        reported_pending_at: null,
        last_refusal: null,
        last_refusal_at: null,
      })
      .execute();
    const withTill = await snapshot(t.db);
    await t.db
      .updateTable('terminals')
      .set({ last_seen_at: '2026-11-26T11:00:00.000Z', last_refusal: 'sale x: no' })
      .execute();
    expect(differences(withTill, await snapshot(t.db))).toBe('');
  });
});
