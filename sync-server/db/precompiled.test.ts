import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from './schema.ts';
import { openTestDatabase } from '../test-support/test-database.ts';
import { precompiled } from './precompiled.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('precompiled', () => {
  it('runs the query with each call’s arguments, as the builder would', async () => {
    db = await openTestDatabase();
    await db
      .insertInto('rate_limits')
      .values([
        { key: 'a', hits: 1, resets_at: 10 },
        { key: 'b', hits: 2, resets_at: 20 },
        { key: 'c', hits: 3, resets_at: 30 },
      ])
      .execute();
    const counters = precompiled(
      (on, key: string, hits: number) =>
        on
          .selectFrom('rate_limits')
          .select(['key', 'hits'])
          .where((eb) => eb.or([eb('key', '=', key), eb('hits', '=', hits)]))
          // A constant of the query: kept as it is.
          .where('resets_at', '<', 100)
          .orderBy('key'),
      ['\u0000key', -1.25] as [string, number],
    );
    expect(await counters(db, 'a', 3)).toEqual([
      { key: 'a', hits: 1 },
      { key: 'c', hits: 3 },
    ]);
    expect(await counters(db, 'b', 99)).toEqual([{ key: 'b', hits: 2 }]);
    expect(await counters(db, 'none', 99)).toEqual([]);
  });

  it('refuses a query that writes an argument into its SQL text instead of a parameter', async () => {
    db = await openTestDatabase();
    const inlined = precompiled(
      (on, limit: number) =>
        on
          .selectFrom('rate_limits')
          .select('key')
          .where((eb) => eb('resets_at', '<', eb.lit(limit))),
      [-1.25] as [number],
    );
    await expect(inlined(db, 5)).rejects.toThrow(/not passed to the query as a parameter/);
  });
});
