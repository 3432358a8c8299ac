import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { ensureStoreSettings } from '../staff/store-settings.ts';
import { signedInAs, type DashboardBrowser } from './test-kit.ts';

let t: TestApp;
let manager: DashboardBrowser;
let otherStoreId: string;
beforeEach(async () => {
  t = await createTestApp();
  otherStoreId = (await t.addStore('Other Shop')).id;
  manager = await signedInAs(t, 'manager');
});
afterEach(async () => {
  await t.close();
});

const settingsOf = (storeId: string) => ensureStoreSettings(t.db, storeId, t.clock.now);
const form = (storeId: string, discount: string, idle: string) => ({
  [`discount-${storeId}`]: discount,
  [`idle-${storeId}`]: idle,
});

describe('settings: refusals', () => {
  it("refuses another store's settings to a manager and changes nothing", async () => {
    const before = await settingsOf(otherStoreId);
    const refused = await manager.post(
      `/dashboard/settings/${otherStoreId}`,
      form(otherStoreId, '50', '60'),
    );
    expect(refused.statusCode).toBe(404);
    expect(await settingsOf(otherStoreId)).toEqual(before);
    expect(squash((await manager.get('/dashboard/settings')).body)).not.toContain('Other Shop');
  });

  it('explains a bad percentage or idle time and keeps what was typed', async () => {
    const before = await settingsOf(t.store.id);
    for (const [discount, idle] of [
      ['abc', '120'],
      ['101', '120'],
      ['10', '10'],
      ['10', '3601'],
    ] as const) {
      const refused = await manager.post(
        `/dashboard/settings/${t.store.id}`,
        form(t.store.id, discount, idle),
      );
      expect(refused.statusCode).toBe(400);
      expect(squash(refused.body)).toContain('Nothing was saved.');
      expect(refused.body).toContain(`value="${discount}"`);
    }
    expect(await settingsOf(t.store.id)).toEqual(before);
    expect(await t.db.selectFrom('dashboard_actions').selectAll().execute()).toEqual([]);
  });

  it('changes nothing without the session token', async () => {
    const before = await settingsOf(t.store.id);
    const refused = await manager.post(`/dashboard/settings/${t.store.id}`, {
      csrf: 'nope',
      ...form(t.store.id, '50', '60'),
    });
    expect(refused.statusCode).toBe(403);
    expect(await settingsOf(t.store.id)).toEqual(before);
  });
});

describe('settings', () => {
  it('stores the limit in thousandths of a percent, shows it as a percent, records and publishes', async () => {
    const published: string[] = [];
    t.notifier.subscribe(t.store.id, (collections) => published.push(...collections));
    const before = await settingsOf(t.store.id);
    const saved = await manager.post(
      `/dashboard/settings/${t.store.id}`,
      form(t.store.id, '12.5', '300'),
    );
    expect(saved.statusCode).toBe(303);
    const after = await settingsOf(t.store.id);
    expect(after).toMatchObject({
      discount_approval_milli_percent: 12_500,
      idle_lock_seconds: 300,
    });
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(published).toEqual(['settings']);
    const page = await manager.get('/dashboard/settings?done=saved');
    expect(page.body).toContain('value="12.5"');
    expect(squash(page.body)).toContain('Settings saved.');
    const [action] = await t.db.selectFrom('dashboard_actions').selectAll().execute();
    expect(action?.action).toBe('settings.update');
    expect(JSON.parse(action?.detail ?? '{}')).toEqual({
      from: { discountApprovalMilliPercent: 10_000, idleLockSeconds: 120 },
      to: { discountApprovalMilliPercent: 12_500, idleLockSeconds: 300 },
    });
  });
});
