import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPin } from '../../shared/staff/pin.ts';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { systemRandomBytes } from '../deps.ts';
import { testClock } from '../test-support/harness.ts';
import { verifyPassword } from './password.ts';
import {
  createStaff,
  findStaff,
  findStaffByEmail,
  staffOfStore,
  toStaffMember,
  updateStaff,
} from './staff.ts';

let db: Db;
const clock = testClock();
const deps = { clock: clock.now, randomBytes: systemRandomBytes, pinIterations: 1_000 };

beforeEach(async () => {
  db = await openTestDatabase();
  for (const id of ['store-a', 'store-b']) {
    await db
      .insertInto('stores')
      .values({ id, name: id, currency: 'EUR', created_at: clock.now().toISOString() })
      .execute();
  }
});
afterEach(async () => {
  await db.destroy();
});

describe('staff on the server', () => {
  it('refuses a bad name, role or e-mail and writes nothing', async () => {
    await expect(
      createStaff(db, { storeId: 'store-a', name: ' ', role: 'cashier' }, deps),
    ).rejects.toThrow(/Give a name/);
    await expect(
      createStaff(db, { storeId: 'store-a', name: 'Kim', role: 'owner' as 'admin' }, deps),
    ).rejects.toThrow();
    await expect(
      createStaff(db, { storeId: 'store-a', name: 'Kim', role: 'cashier', email: 'nope' }, deps),
    ).rejects.toThrow();
    await expect(
      createStaff(db, { storeId: 'store-a', name: 'Kim', role: 'cashier', pin: '12' }, deps),
    ).rejects.toThrow();
    expect(await db.selectFrom('staff').select('id').execute()).toEqual([]);
  });

  it('hashes the PIN and password, lower-cases the e-mail, and syncs as a StaffMember', async () => {
    const row = await createStaff(
      db,
      {
        storeId: 'store-a',
        name: ' Kim ',
        role: 'manager',
        pin: '4711',
        email: 'Kim@Shop.Example',
        password: 'correct horse battery',
      },
      deps,
    );
    expect(row).toMatchObject({ name: 'Kim', email: 'kim@shop.example', active: 1 });
    const member = toStaffMember(row);
    expect(member).toEqual({
      id: row.id,
      storeId: 'store-a',
      name: 'Kim',
      role: 'manager',
      pinHash: expect.objectContaining({ iterations: 1_000 }) as unknown,
      active: true,
      updatedAt: clock.now().toISOString(),
    });
    expect(await verifyPin('4711', member.pinHash!)).toBe(true);
    expect(await verifyPin('4712', member.pinHash!)).toBe(false);
    expect(await verifyPassword('correct horse battery', row.password_hash!)).toBe(true);
    expect((await findStaffByEmail(db, '  KIM@shop.example '))?.id).toBe(row.id);
    expect(await findStaffByEmail(db, 'someone@else.example')).toBeUndefined();
    // A back-office member without a PIN cannot sign in at a counter.
    const office = await createStaff(db, { storeId: null, name: 'Office', role: 'admin' }, deps);
    expect(toStaffMember(office).pinHash).toBeNull();
  });

  it('each change takes a new seq, so terminals pull it; a removed PIN is null', async () => {
    const row = await createStaff(
      db,
      { storeId: 'store-a', name: 'Kim', role: 'cashier', pin: '4711' },
      deps,
    );
    clock.advance(1_000);
    const changed = await updateStaff(
      db,
      row.id,
      { role: 'manager', active: false, pin: null, name: 'Kim B' },
      deps,
    );
    expect(changed.seq).toBeGreaterThan(row.seq);
    expect(changed).toMatchObject({ role: 'manager', active: 0, pin_hash: null, name: 'Kim B' });
    expect(changed.updated_at).not.toBe(row.updated_at);
    expect((await findStaff(db, row.id))?.seq).toBe(changed.seq);
    await expect(updateStaff(db, row.id, { role: 'boss' as 'admin' }, deps)).rejects.toThrow();
    await expect(updateStaff(db, 'staff-missing', { name: 'X' }, deps)).rejects.toThrow();
  });

  it("a store sees its own staff and the admins of every store, never another store's", async () => {
    const a = await createStaff(db, { storeId: 'store-a', name: 'A', role: 'cashier' }, deps);
    await createStaff(db, { storeId: 'store-b', name: 'B', role: 'cashier' }, deps);
    const admin = await createStaff(db, { storeId: null, name: 'Root', role: 'admin' }, deps);
    const seen = await staffOfStore(db, 'store-a').orderBy('seq').execute();
    expect(seen.map((row) => row.id)).toEqual([a.id, admin.id]);
  });
});
