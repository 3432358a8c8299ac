import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../test-support/test-database.ts';
import { isPostgres } from './connection.ts';
import { migrateToLatest } from './migrate.ts';
import type { Db } from './schema.ts';
import { nextSeq, reserveSeq } from './seq.ts';
import { inTransaction } from './transaction.ts';

let db: Db;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

describe('database', () => {
  it('refuses rows that point at a missing store (foreign keys are on)', async () => {
    await expect(
      db
        .insertInto('pairing_codes')
        .values({
          code_hash: 'x',
          store_id: 'nope',
          created_at: '2026-01-01T00:00:00.000Z',
          expires_at: '2026-01-02T00:00:00.000Z',
          used_at: null,
        })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('migrates once; running the migrations again changes nothing', async () => {
    await migrateToLatest(db);
    const tables = await db.introspection.getTables();
    // Contains, not equals: each feature's migration adds its own tables.
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'counters',
        'entitlement_events',
        'entitlements',
        'login_tokens',
        'outbox',
        'pairing_codes',
        'products',
        'provisional_claims',
        'sales',
        'sessions',
        'stores',
        'terminals',
      ]),
    );
    const counter = await db.selectFrom('counters').selectAll().execute();
    expect(counter).toEqual([{ name: 'change_seq', value: 0 }]);
  });
});

describe('change sequence', () => {
  it('refuses to reserve nothing', async () => {
    await expect(reserveSeq(db, 0)).rejects.toThrow(RangeError);
  });

  it('is monotonic and rolls back with the transaction that took it', async () => {
    expect(await nextSeq(db)).toBe(1);
    expect(await reserveSeq(db, 3)).toBe(2);
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await nextSeq(trx)).toBe(5);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await nextSeq(db)).toBe(5);
  });

  it('hands out distinct numbers to concurrent transactions', async () => {
    const taken = await Promise.all(
      Array.from({ length: 25 }, () => inTransaction(db, (trx) => nextSeq(trx))),
    );
    expect(new Set(taken).size).toBe(25);
    expect(Math.max(...taken)).toBe(25);
  });
});

describe('engine', () => {
  it('is the one this test project names', () => {
    expect(isPostgres(db)).toBe(testEngine() === 'postgres');
  });

  it('runs concurrent check-then-insert transactions as if one after the other', async () => {
    const store = { id: 'store_a', name: 'A', currency: 'EUR', created_at: '2026-01-01T00:00:00Z' };
    // Each transaction reads, then inserts only if the row is missing: without serial behaviour
    // (PostgreSQL under READ COMMITTED) two would insert, and one would fail on the primary key.
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        inTransaction(db, async (trx) => {
          const found = await trx
            .selectFrom('stores')
            .select('id')
            .where('id', '=', store.id)
            .executeTakeFirst();
          if (found !== undefined) return 'found';
          await trx.insertInto('stores').values(store).execute();
          await nextSeq(trx);
          return 'inserted';
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'inserted')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'found')).toHaveLength(7);
    expect(await db.selectFrom('stores').selectAll().execute()).toHaveLength(1);
  });
});
