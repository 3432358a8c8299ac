import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { testClock } from '../test-support/harness.ts';
import { ensureStoreSettings, toStoreSettings, updateStoreSettings } from './store-settings.ts';

let db: Db;
const clock = testClock();

beforeEach(async () => {
  db = await openTestDatabase();
  await db
    .insertInto('stores')
    .values({ id: 'store-a', name: 'A', currency: 'EUR', created_at: clock.now().toISOString() })
    .execute();
});
afterEach(async () => {
  await db.destroy();
});

describe('store settings', () => {
  it('writes the defaults once; two first readers at once get the one stored row', async () => {
    const [first, second] = await Promise.all([
      ensureStoreSettings(db, 'store-a', clock.now),
      ensureStoreSettings(db, 'store-a', clock.now),
    ]);
    const stored = await db.selectFrom('store_settings').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(first).toEqual(stored[0]);
    expect(second).toEqual(stored[0]);
    expect(await ensureStoreSettings(db, 'store-a', clock.now)).toEqual(stored[0]);
    expect(toStoreSettings(stored[0]!)).toEqual({
      id: 'store-a',
      storeId: 'store-a',
      discountApprovalMilliPercent: 10_000,
      idleLockSeconds: 120,
      updatedAt: clock.now().toISOString(),
    });
  });

  it('changes only what is given, with a new seq; refuses out-of-range values and changes nothing', async () => {
    const before = await ensureStoreSettings(db, 'store-a', clock.now);
    const after = await updateStoreSettings(db, 'store-a', { idleLockSeconds: 300 }, clock.now);
    expect(after).toMatchObject({
      idle_lock_seconds: 300,
      discount_approval_milli_percent: 10_000,
    });
    expect(after.seq).toBeGreaterThan(before.seq);
    for (const change of [
      { idleLockSeconds: 5 },
      { idleLockSeconds: 3601 },
      { discountApprovalMilliPercent: -1 },
      { discountApprovalMilliPercent: 100_001 },
      { discountApprovalMilliPercent: 1.5 },
    ]) {
      await expect(updateStoreSettings(db, 'store-a', change, clock.now)).rejects.toThrow();
    }
    expect(await ensureStoreSettings(db, 'store-a', clock.now)).toEqual(after);
  });
});
