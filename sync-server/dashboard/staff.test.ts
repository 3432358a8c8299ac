import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPin, PinHash } from '../../shared/staff/pin.ts';
import type { SyncedCollection } from '../../shared/schemas/protocol.ts';
import { createMemoryNotifier } from '../sync/change-notifier.ts';
import { findStaff } from '../staff/staff.ts';
import { verifyPassword } from '../staff/password.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { addDashboardUser, signedIn, signedInAs, type DashboardBrowser } from './test-kit.ts';

let t: TestApp;
let manager: DashboardBrowser;
let otherStoreId: string;
let published: { storeId: string; collections: readonly SyncedCollection[] }[];
beforeEach(async () => {
  const notifier = createMemoryNotifier((error) => {
    throw error;
  });
  published = [];
  const publish = notifier.publish.bind(notifier);
  notifier.publish = (storeId, collections) => {
    published.push({ storeId, collections });
    publish(storeId, collections);
  };
  t = await createTestApp({ notifier });
  otherStoreId = (await t.addStore('Other Shop')).id;
  manager = await signedInAs(t, 'manager');
});
afterEach(async () => {
  await t.close();
});

const staffNamed = (name: string) =>
  t.db.selectFrom('staff').selectAll().where('name', '=', name).executeTakeFirst();
const actions = () => t.db.selectFrom('dashboard_actions').selectAll().orderBy('at').execute();

describe('staff: refusals', () => {
  it('adds nothing on a POST without the session token', async () => {
    const refused = await manager.post('/dashboard/staff', {
      csrf: '',
      name: 'Kim',
      role: 'cashier',
      storeId: t.store.id,
    });
    expect(refused.statusCode).toBe(403);
    expect(await staffNamed('Kim')).toBeUndefined();
  });

  it('lets no manager add an admin, or anyone to another store', async () => {
    const admin = await manager.post('/dashboard/staff', {
      name: 'Kim',
      role: 'admin',
      storeId: t.store.id,
    });
    expect(admin.statusCode).toBe(400);
    expect(squash(admin.body)).toContain('Only an admin can make someone an admin.');
    const elsewhere = await manager.post('/dashboard/staff', {
      name: 'Kim',
      role: 'cashier',
      storeId: otherStoreId,
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(squash(elsewhere.body)).toContain('Choose one of your stores.');
    expect(await staffNamed('Kim')).toBeUndefined();
    expect(await actions()).toEqual([]);
  });

  it('explains a weak PIN or password and a taken e-mail, keeps what was typed, saves nothing', async () => {
    const taken = manager.staff.email ?? '';
    const response = await manager.post('/dashboard/staff', {
      name: 'Kim',
      role: 'manager',
      storeId: t.store.id,
      pin: '1111',
      email: taken,
      password: 'short',
    });
    expect(response.statusCode).toBe(400);
    const page = squash(response.body);
    expect(page).toContain('A PIN of one repeated digit is the first thing anyone tries.');
    expect(page).toContain('Another staff member signs in with this e-mail.');
    expect(page).toContain('Use at least 12 characters');
    expect(page).toContain('value="Kim"');
    expect(page).not.toContain('1111');
    expect(await staffNamed('Kim')).toBeUndefined();
  });

  it('gives cashiers no dashboard sign-in', async () => {
    const added = await manager.post('/dashboard/staff', {
      name: 'Kim',
      role: 'cashier',
      storeId: t.store.id,
      email: 'kim@shop.example.test',
      password: 'a long enough passphrase',
    });
    expect(added.statusCode).toBe(400);
    expect(squash(added.body)).toContain('Cashiers do not use the dashboard.');
    expect(await staffNamed('Kim')).toBeUndefined();
    const cashier = await addDashboardUser(t, {
      role: 'cashier',
      name: 'Lee',
      email: 'lee@shop.example.test',
    });
    const refused = await manager.post(`/dashboard/staff/${cashier.id}/password`, {
      email: 'lee2@shop.example.test',
      password: 'a long enough passphrase',
    });
    expect(refused.statusCode).toBe(400);
    expect(squash(refused.body)).toContain('Cashiers do not use the dashboard.');
    expect((await findStaff(t.db, cashier.id))?.email).toBe('lee@shop.example.test');
  });

  it("hides other stores' staff and admins' edit pages from a manager", async () => {
    const theirs = await addDashboardUser(t, {
      role: 'cashier',
      storeId: otherStoreId,
      name: 'Theirs',
    });
    const admin = await addDashboardUser(t, { role: 'admin', name: 'The Admin' });
    const list = squash((await manager.get('/dashboard/staff')).body);
    expect(list).not.toContain('Theirs');
    expect(list).toContain('The Admin');
    expect(list).toContain('Managed by an admin');
    for (const member of [theirs, admin]) {
      expect((await manager.get(`/dashboard/staff/${member.id}`)).statusCode).toBe(404);
      const refused = await manager.post(`/dashboard/staff/${member.id}/deactivate`);
      expect(refused.statusCode).toBe(404);
      expect((await findStaff(t.db, member.id))?.active).toBe(1);
    }
  });

  it('lets nobody deactivate themselves or change their own role', async () => {
    const self = await manager.post(`/dashboard/staff/${manager.staff.id}/deactivate`);
    expect(self.statusCode).toBe(400);
    expect(squash(self.body)).toContain('You cannot deactivate yourself.');
    const role = await manager.post(`/dashboard/staff/${manager.staff.id}/details`, {
      name: manager.staff.name,
      role: 'cashier',
    });
    expect(role.statusCode).toBe(400);
    expect((await findStaff(t.db, manager.staff.id))?.role).toBe('manager');
  });
});

describe('staff', () => {
  it('adds a cashier with a PIN, tells the tills, and records it without the PIN', async () => {
    const added = await manager.post('/dashboard/staff', {
      name: 'Kim',
      role: 'cashier',
      storeId: t.store.id,
      pin: '4826',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/dashboard/staff?done=added');
    const kim = await staffNamed('Kim');
    expect(kim?.store_id).toBe(t.store.id);
    expect(await verifyPin('4826', PinHash.parse(JSON.parse(kim?.pin_hash ?? 'null')))).toBe(true);
    expect(published).toContainEqual({ storeId: t.store.id, collections: ['staff'] });
    const [action] = await actions();
    expect(action).toMatchObject({
      action: 'staff.create',
      subject: kim?.id,
      staff_id: manager.staff.id,
    });
    expect(action?.detail).not.toContain('4826');
    expect(squash((await manager.get('/dashboard/staff?done=added')).body)).toContain(
      'Staff member added.',
    );
  });

  it('renames, sets a PIN and a password, deactivates and reactivates, each recorded', async () => {
    const kim = await addDashboardUser(t, { role: 'cashier', name: 'Kim' });
    const base = `/dashboard/staff/${kim.id}`;
    expect(
      (await manager.post(`${base}/details`, { name: 'Kim Lee', role: 'manager' })).statusCode,
    ).toBe(303);
    expect((await manager.post(`${base}/pin`, { pin: '5937' })).statusCode).toBe(303);
    const kimSession = await signedIn(t, kim);
    const password = await manager.post(`${base}/password`, {
      email: 'kim@shop.example.test',
      password: 'a brand new passphrase',
    });
    expect(password.statusCode).toBe(303);
    expect((await kimSession.get('/dashboard')).statusCode).toBe(303); // their old session ended
    expect((await manager.get(`${base}/deactivate`)).body).toContain(
      'Deactivate <strong>Kim Lee</strong>?',
    );
    expect((await manager.post(`${base}/deactivate`)).statusCode).toBe(303);
    expect((await findStaff(t.db, kim.id))?.active).toBe(0);
    expect((await manager.post(`${base}/reactivate`)).statusCode).toBe(303);
    const row = await findStaff(t.db, kim.id);
    expect(row).toMatchObject({
      name: 'Kim Lee',
      role: 'manager',
      active: 1,
      email: 'kim@shop.example.test',
    });
    expect(await verifyPassword('a brand new passphrase', row?.password_hash ?? '')).toBe(true);
    expect((await actions()).map((a) => a.action)).toEqual([
      'staff.update',
      'staff.set_pin',
      'staff.set_password',
      'staff.deactivate',
      'staff.reactivate',
    ]);
    expect(JSON.stringify(await actions())).not.toContain('a brand new passphrase');

    expect((await manager.post(`${base}/password/clear`)).statusCode).toBe(303);
    expect(await findStaff(t.db, kim.id)).toMatchObject({ email: null, password_hash: null });
  });

  it('lets an admin of every store add another admin of every store', async () => {
    const admin = await signedInAs(t, 'admin');
    const added = await admin.post('/dashboard/staff', {
      name: 'Second Admin',
      role: 'admin',
      storeId: '',
      email: 'second@shop.example.test',
      password: 'another long passphrase',
    });
    expect(added.statusCode).toBe(303);
    expect((await staffNamed('Second Admin'))?.store_id).toBeNull();
    // An admin of every store: every store's tills pull the change.
    expect(published.map((p) => p.storeId).sort()).toEqual([otherStoreId, t.store.id].sort());
  });
});
