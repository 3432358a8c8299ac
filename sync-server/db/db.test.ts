import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { migrateToLatest } from './migrate.ts';
import type { Db } from './schema.ts';
import { nextSeq, reserveSeq } from './seq.ts';

let db: Db;
beforeEach(async () => {
  db = openDatabase(':memory:');
  await migrateToLatest(db);
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
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('migrates once; running the migrations again changes nothing', async () => {
    await migrateToLatest(db);
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%' order by name`.execute(
      db,
    );
    // Contains, not equals: each feature's migration adds its own tables.
    expect(tables.rows.map((row) => row.name)).toEqual(
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
      Array.from({ length: 25 }, () => db.transaction().execute((trx) => nextSeq(trx))),
    );
    expect(new Set(taken).size).toBe(25);
    expect(Math.max(...taken)).toBe(25);
  });
});
