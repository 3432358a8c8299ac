import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { reusingStatements } from './connection.ts';

let sqlite: SQLite.Database;
afterEach(() => {
  if (sqlite.open) sqlite.close();
});

describe('reusingStatements (SQLite)', () => {
  it('prepares a SQL text once and hands the same statement back', () => {
    sqlite = new SQLite(':memory:');
    const database = reusingStatements(sqlite);
    const first = database.prepare('select 1 as one');
    expect(database.prepare('select 1 as one')).toBe(first);
    expect(database.prepare('select 2 as two')).not.toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
  });

  it('keeps only the most recently used statements', () => {
    sqlite = new SQLite(':memory:');
    const database = reusingStatements(sqlite, 2);
    const a = database.prepare('select 1');
    const b = database.prepare('select 2');
    expect(database.prepare('select 1')).toBe(a); // now the most recent
    database.prepare('select 3'); // drops 'select 2', the least recently used
    expect(database.prepare('select 1')).toBe(a);
    expect(database.prepare('select 2')).not.toBe(b);
  });

  it('answers right through Kysely: parameters, writes, transactions, a schema change', async () => {
    sqlite = new SQLite(':memory:');
    const db = new Kysely<{ t: { id: number; name: string; note?: string | null } }>({
      dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
    });
    await db.schema.createTable('t').addColumn('id', 'integer').addColumn('name', 'text').execute();
    for (const [id, name] of [
      [1, 'one'],
      [2, 'two'],
    ] as const) {
      await db.insertInto('t').values({ id, name }).execute();
    }
    const named = (id: number) =>
      db.selectFrom('t').selectAll().where('id', '=', id).executeTakeFirst();
    expect(await named(1)).toEqual({ id: 1, name: 'one' });
    expect(await named(2)).toEqual({ id: 2, name: 'two' });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 3, name: 'three' }).execute();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await named(3)).toBeUndefined();
    // A kept `select *` sees a column added after it was prepared.
    await sql`alter table t add column note text`.execute(db);
    expect(await named(1)).toEqual({ id: 1, name: 'one', note: null });
    await db.destroy();
  });
});
