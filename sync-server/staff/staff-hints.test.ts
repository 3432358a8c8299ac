import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { testClock } from '../test-support/harness.ts';
import { seedDemoStaff } from './demo-staff.ts';
import { seedDemoCatalogue } from '../catalogue/demo-catalogue.ts';
import { staffHints } from './staff-hints.ts';
import { toStaffMember } from './staff.ts';
import { verifyPin } from '../../shared/staff/pin.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

async function freshDb(): Promise<Db> {
  db = await openTestDatabase();
  return db;
}

describe('what the operator is told about signing in', () => {
  it('names every demo person with their PIN, and the dashboard sign-in where they have one', async () => {
    const hints = await staffHints(await freshDb(), true, 'http://localhost:8787');
    expect(hints).toContain('Demo staff: Alex (cashier) PIN 2580');
    expect(hints).toContain(
      'Demo staff: Morgan (manager) PIN 1379; dashboard manager@demo.entitle.test / demo-manager-password',
    );
  });

  it('tells a fresh server how to create its first admin, and stops once anyone exists', async () => {
    const database = await freshDb();
    const first = await staffHints(database, false, 'https://shop.example');
    expect(first.join(' ')).toContain('create-admin');
    expect(first.join(' ')).toContain('https://shop.example/dashboard');
    const clock = testClock().now;
    await seedDemoCatalogue(database, clock);
    await seedDemoStaff(database, clock);
    expect(await staffHints(database, false, 'https://shop.example')).toEqual([]);
  });

  it('seeds the demo staff once, with PIN hashes that verify', async () => {
    const database = await freshDb();
    const clock = testClock().now;
    await seedDemoCatalogue(database, clock);
    await seedDemoStaff(database, clock);
    await seedDemoStaff(database, clock);
    const rows = await database.selectFrom('staff').selectAll().orderBy('id').execute();
    expect(rows.map((row) => row.id)).toEqual([
      'staff-demo-admin',
      'staff-demo-cashier',
      'staff-demo-manager',
    ]);
    const cashier = toStaffMember(rows[1]!);
    expect(await verifyPin('2580', cashier.pinHash!)).toBe(true);
    expect(await verifyPin('2581', cashier.pinHash!)).toBe(false);
    expect(rows[0]?.store_id).toBeNull();
  });
});
