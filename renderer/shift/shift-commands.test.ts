import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import { ShiftCloseDetail, detailOf } from '../../shared/shift/shift-events.ts';
import { cash, saleOf, voidOf } from '../../shared/shift/shift-fixtures.test-support.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openEntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { recordAudit } from '../audit/record-audit.ts';
import { findOpenShift } from './open-shift.ts';
import {
  ShiftRefusal,
  closeShift,
  loadShiftReport,
  openShift,
  recordCashMove,
} from './shift-commands.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

let ids = 0;
const deps = {
  now: () => new Date('2026-11-27T09:00:00.000Z'),
  newId: () => `shift-${String(++ids)}`,
};
const ALEX = 'staff-alex';
const MORGAN = 'staff-morgan';

/** Alex sells; Morgan, a manager, closes. */
async function seedStaff(database: EntitleDatabase) {
  const member = (id: string, name: string, role: 'cashier' | 'manager') => ({
    id,
    storeId: testCredentials.storeId,
    name,
    role,
    pinHash: null,
    active: true,
    updatedAt: '2026-11-27T08:00:00.000Z',
  });
  await database.staff.bulkInsert([
    member(ALEX, 'Alex', 'cashier'),
    member(MORGAN, 'Morgan', 'manager'),
  ]);
}

/** A sale of the shift, written as the counter writes it (terminal and shift from the test). */
function shiftSale(n: number, shiftId: string, total: number, tendered = total) {
  return {
    ...saleOf(n, { total, payments: [cash(total, tendered)], shiftId }),
    terminalId: testCredentials.terminalId,
    storeId: testCredentials.storeId,
    createdAt: '2026-11-27T09:30:00.000Z',
  };
}

describe('the open shift', () => {
  it('is none at first, the opened one after opening, none again after closing', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    expect(await findOpenShift(db)).toBeNull();
    const shiftId = await openShift(db, testCredentials, { staffId: ALEX, float: 10000 }, deps);
    expect(await findOpenShift(db)).toMatchObject({ shiftId, float: 10000, currency: 'EUR' });
    await expect(openShift(db, testCredentials, { staffId: ALEX, float: 0 }, deps)).rejects.toThrow(
      'A shift is already open on this terminal.',
    );
    // Other events after the opening do not close it.
    await recordAudit(db, testCredentials, {
      kind: 'sign_out',
      staffId: ALEX,
      subjectId: null,
      detail: { outcome: 'manual' },
    });
    expect((await findOpenShift(db))?.shiftId).toBe(shiftId);
    await closeShift(db, testCredentials, { staffId: MORGAN, counts: new Map([[5000, 2]]) }, deps);
    expect(await findOpenShift(db)).toBeNull();
  });

  it('survives a reload: a new database on the same storage finds the same open shift', async () => {
    await (await openTestDatabase()).close(); // dev-mode on, as in every other test here
    const storage = wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
    const name = `reload-${String(Date.now())}`;
    db = await openEntitleDatabase({ name, storage });
    const shiftId = await openShift(db, testCredentials, { staffId: ALEX, float: 2500 }, deps);
    await db.close();
    db = await openEntitleDatabase({ name, storage });
    expect(await findOpenShift(db)).toMatchObject({ shiftId, float: 2500 });
  });

  it('does not believe a hint the chain contradicts (a restored backup)', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    await openShift(db, testCredentials, { staffId: ALEX, float: 100 }, deps);
    await findOpenShift(db);
    await db.upsertLocal('open-shift', {
      open: {
        shiftId: 'ghost',
        openedAt: '2026-11-27T09:00:00.000Z',
        float: 1,
        currency: 'EUR',
        openedBy: ALEX,
        openSeq: 1,
      },
      upToSeq: 1,
    });
    expect((await findOpenShift(db))?.shiftId).not.toBe('ghost');
  });

  it('refuses a float that is not an amount, and changes nothing', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    await expect(
      openShift(db, testCredentials, { staffId: ALEX, float: 12.5 }, deps),
    ).rejects.toBeInstanceOf(ShiftRefusal);
    expect(await db.audit_events.count().exec()).toBe(0);
  });
});

describe('cash in and out', () => {
  it('needs an open shift, a reason and an amount the drawer can give', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    const move = { direction: 'out' as const, staffId: ALEX, amount: 500, reason: 'Stamps' };
    await expect(recordCashMove(db, testCredentials, move, deps)).rejects.toThrow(
      'Open a shift first',
    );
    await openShift(db, testCredentials, { staffId: ALEX, float: 1000 }, deps);
    await expect(
      recordCashMove(db, testCredentials, { ...move, reason: '  ' }, deps),
    ).rejects.toThrow('Say why');
    await expect(
      recordCashMove(db, testCredentials, { ...move, amount: 1001 }, deps),
    ).rejects.toThrow('The drawer should not hold that much');
    const before = await db.audit_events.count().exec();
    await recordCashMove(db, testCredentials, move, deps);
    await recordCashMove(db, testCredentials, { ...move, direction: 'in', amount: 2000 }, deps);
    expect(await db.audit_events.count().exec()).toBe(before + 2);
  });
});

describe('closing with a variance', () => {
  it('writes the counted drawer, the expected cash and the variance into the close event', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    const shiftId = await openShift(db, testCredentials, { staffId: ALEX, float: 10000 }, deps);
    await db.sales.insert(shiftSale(1, shiftId, 1250, 2000));
    await db.sales.insert(shiftSale(2, 'another-shift', 9999));
    await recordCashMove(
      db,
      testCredentials,
      { direction: 'out', staffId: ALEX, amount: 2000, reason: 'Window cleaner' },
      deps,
    );
    const x = await loadShiftReport(db, shiftId, 'X', deps.now());
    expect(x.expectedCash).toBe(10000 + 1250 - 2000);

    // €92.50 expected; counted 4 × €20 + €10 + €1 = €91.00: €1.50 short.
    const counts = new Map([
      [2000, 4],
      [1000, 1],
      [100, 1],
    ]);
    // A cashier counts nothing into the record: closing is a manager's.
    await expect(closeShift(db, testCredentials, { staffId: ALEX, counts }, deps)).rejects.toThrow(
      'Closing the shift is for managers.',
    );
    expect(await findOpenShift(db)).not.toBeNull();
    const { event } = await closeShift(db, testCredentials, { staffId: MORGAN, counts }, deps);
    expect(detailOf(event, ShiftCloseDetail)).toEqual({
      counts: '2000x4,1000x1,100x1',
      countedCash: 9100,
      expectedCash: 9250,
      variance: -150,
      salesCount: 1,
      salesTotal: 1250,
      firstReceipt: 'AB12-000001',
      lastReceipt: 'AB12-000001',
    });
    const z = await loadShiftReport(db, shiftId, 'Z', deps.now());
    expect(z.close).toMatchObject({ countedCash: 9100, variance: -150 });
    expect(z.closedBy).toBe(MORGAN);

    const chain = await db.audit_events.find({ sort: [{ seq: 'asc' }] }).exec();
    expect((await verifyAuditChain(chain.map((doc) => doc.toMutableJSON()))).ok).toBe(true);
  });

  it('takes the cash of a voided earlier sale out of this drawer', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    const first = await openShift(db, testCredentials, { staffId: ALEX, float: 0 }, deps);
    const earlier = shiftSale(1, first, 3000);
    await db.sales.insert(earlier);
    await closeShift(db, testCredentials, { staffId: MORGAN, counts: new Map([[1000, 3]]) }, deps);
    const second = await openShift(db, testCredentials, { staffId: ALEX, float: 5000 }, deps);
    await db.voids.insert({
      ...voidOf(earlier, '2026-11-27T10:00:00.000Z'),
      terminalId: testCredentials.terminalId,
      storeId: testCredentials.storeId,
    });
    const report = await loadShiftReport(db, second, 'X', new Date('2026-11-27T11:00:00.000Z'));
    expect(report.voids).toEqual({ count: 1, amount: 3000, cash: 3000 });
    expect(report.expectedCash).toBe(2000);
  });

  it('refuses a count that is not a whole number, and closes nothing', async () => {
    db = await openTestDatabase();
    await seedStaff(db);
    await openShift(db, testCredentials, { staffId: ALEX, float: 0 }, deps);
    await expect(
      closeShift(db, testCredentials, { staffId: MORGAN, counts: new Map([[100, 1.5]]) }, deps),
    ).rejects.toThrow('whole number');
    expect(await findOpenShift(db)).not.toBeNull();
  });
});
