import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/test-database.ts';
import { insertRows, paddedKeys } from './insert-rows.ts';
import type { Db } from './schema.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const event = (n: number, actor: string) => ({
  id: `evt_${String(n).padStart(5, '0')}`,
  code: `CODE${String(n % 7)}`,
  from_state: 'issued',
  to_state: 'known',
  actor,
  reason: n % 2 === 0 ? "it’s “quoted”, 'single' and ; -- not SQL" : 'sale synced',
  at: `2026-11-27T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
});

describe('insertRows', () => {
  it('writes what Kysely’s insert writes, over several statements', async () => {
    db = await openTestDatabase();
    // 7 columns: 1,428 rows a statement, so 3,000 rows take three.
    const rows = Array.from({ length: 3000 }, (_, n) => event(n, `terminal:t${String(n % 3)}`));
    await insertRows(db, 'entitlement_events', rows);
    await insertRows(db, 'entitlement_events', []);
    const stored = await db.selectFrom('entitlement_events').selectAll().orderBy('id').execute();
    expect(stored).toEqual(rows);
    await insertRows(db, 'rate_limits', [{ key: 'k', hits: 3, resets_at: 10 }]);
    expect(await db.selectFrom('rate_limits').selectAll().execute()).toEqual([
      { key: 'k', hits: 3, resets_at: 10 },
    ]);
  });

  it('refuses a row that leaves out a column, writing none of its statement', async () => {
    db = await openTestDatabase();
    const rows = [event(1, 'system'), { ...event(2, 'system'), actor: undefined }];
    await expect(
      insertRows(db, 'entitlement_events', rows as unknown as ReturnType<typeof event>[]),
    ).rejects.toThrow('entitlement_events.actor is not given');
    expect(await db.selectFrom('entitlement_events').selectAll().execute()).toEqual([]);
  });

  it('refuses a column name that is not a plain identifier, writing nothing', async () => {
    db = await openTestDatabase();
    const row = { ...event(1, 'terminal:t1'), 'actor") values (1); --': 'x' };
    await expect(insertRows(db, 'entitlement_events', [row])).rejects.toThrow(
      /is not a column name/,
    );
    expect(await db.selectFrom('entitlement_events').selectAll().execute()).toEqual([]);
  });

  it('skips the rows whose unique column is taken, when asked, in the same statement too', async () => {
    db = await openTestDatabase();
    const limit = (key: string, hits: number) => ({ key, hits, resets_at: 10 });
    await insertRows(db, 'rate_limits', [limit('a', 1)]);
    await insertRows(db, 'rate_limits', [limit('a', 2), limit('b', 3), limit('b', 4)], {
      ignoring: 'key',
    });
    expect(
      await db.selectFrom('rate_limits').select(['key', 'hits']).orderBy('key').execute(),
    ).toEqual([
      { key: 'a', hits: 1 },
      { key: 'b', hits: 3 },
    ]);
  });
});

describe('paddedKeys', () => {
  it('repeats the last key up to a power of two, at least 8', () => {
    expect(paddedKeys([])).toEqual([]);
    expect(paddedKeys(['a', 'b'])).toEqual(['a', 'b', 'b', 'b', 'b', 'b', 'b', 'b']);
    expect(paddedKeys(Array.from({ length: 9 }, (_, i) => String(i)))).toHaveLength(16);
    expect(paddedKeys(Array.from({ length: 16 }, (_, i) => String(i)))).toHaveLength(16);
    expect(new Set(paddedKeys(Array.from({ length: 100 }, (_, i) => String(i)))).size).toBe(100);
  });
});
