import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { signedInAs } from './test-kit.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const stores = () => t.db.selectFrom('stores').selectAll().execute();

describe('stores: refusals', () => {
  it('is for admins of every store only', async () => {
    const manager = await signedInAs(t, 'manager');
    expect((await manager.get('/dashboard/stores')).statusCode).toBe(403);
    const created = await manager.post('/dashboard/stores', { name: 'Sneaky', currency: 'EUR' });
    expect(created.statusCode).toBe(403);
    const storeAdmin = await signedInAs(t, 'admin', { storeId: t.store.id });
    const refused = await storeAdmin.post('/dashboard/stores', { name: 'Sneaky', currency: 'EUR' });
    expect(refused.statusCode).toBe(403);
    expect(squash(refused.body)).toContain('Only an admin of every store can manage stores.');
    expect(await stores()).toHaveLength(1);
    // The nav shows Stores to admins only.
    expect((await manager.get('/dashboard')).body).not.toContain('href="/dashboard/stores"');
  });

  it('refuses an empty name or an unknown currency', async () => {
    const admin = await signedInAs(t, 'admin');
    for (const form of [
      { name: '', currency: 'EUR' },
      { name: 'Shop', currency: 'EURO' },
      { name: 'Shop', currency: 'XYZ' },
    ]) {
      expect((await admin.post('/dashboard/stores', form)).statusCode).toBe(400);
    }
    expect(await stores()).toHaveLength(1);
  });
});

describe('stores', () => {
  it('creates a store with its settings, recorded, and lists it', async () => {
    const admin = await signedInAs(t, 'admin');
    expect((await admin.get('/dashboard')).body).toContain('href="/dashboard/stores"');
    const created = await admin.post('/dashboard/stores', {
      name: 'Harbour Shop',
      currency: 'gbp',
    });
    expect(created.statusCode).toBe(303);
    const store = (await stores()).find((s) => s.name === 'Harbour Shop');
    expect(store?.currency).toBe('GBP');
    const settings = await t.db
      .selectFrom('store_settings')
      .selectAll()
      .where('store_id', '=', store?.id ?? '')
      .executeTakeFirst();
    expect(settings?.idle_lock_seconds).toBe(120);
    const [action] = await t.db.selectFrom('dashboard_actions').selectAll().execute();
    expect(action).toMatchObject({ action: 'store.create', subject: store?.id });
    const list = squash((await admin.get('/dashboard/stores?done=added')).body);
    expect(list).toContain('Harbour Shop');
    expect(list).toContain('Store created.');
  });
});
