import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { rangedGetMany } from './ranged-get-many.ts';

type Doc = { id: string; n: number };
let open: Dexie[] = [];

async function database(docs: readonly Doc[], addon: boolean): Promise<Dexie> {
  const db = new Dexie('ranged', {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    ...(addon ? { addons: [rangedGetMany] } : {}),
  });
  db.version(1).stores({ docs: 'id, n' });
  await db.open();
  await db.table<Doc, string>('docs').bulkPut([...docs]);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open) db.close();
  open = [];
});

const key = (i: number) => `k${String(i).padStart(5, '0')}`;
const stored = Array.from({ length: 300 }, (_, i) => ({ id: key(i * 2), n: i }));

describe('ranged lookups of many keys', () => {
  const cases: Record<string, string[]> = {
    'an empty range (a new terminal)': Array.from({ length: 50 }, (_, i) => key(10_000 + i)),
    'present and missing keys, shuffled, with a repeat': [
      ...Array.from({ length: 40 }, (_, i) => key(100 + i)),
      key(120),
    ].reverse(),
    'keys spread over the whole table (falls back)': Array.from({ length: 25 }, (_, i) =>
      key(i * 24),
    ),
    'a few keys (falls back)': [key(2), key(3), key(4)],
  };
  for (const [name, keys] of Object.entries(cases)) {
    it(`answers as Dexie does: ${name}`, async () => {
      const plain = await database(stored, false);
      const ranged = await database(stored, true);
      const expected = await plain.table<Doc, string>('docs').bulkGet(keys);
      expect(await ranged.table<Doc, string>('docs').bulkGet(keys)).toEqual(expected);
      expect(expected.some((doc) => doc === undefined)).toBe(
        name !== 'keys spread over the whole table (falls back)',
      );
    });
  }

  it('sees the writes of its own transaction', async () => {
    const ranged = await database([], true);
    const table = ranged.table<Doc, string>('docs');
    const keys = Array.from({ length: 30 }, (_, i) => key(i));
    const seen = await ranged.transaction('rw', table, async () => {
      await table.bulkPut(keys.slice(0, 10).map((id, n) => ({ id, n })));
      return table.bulkGet(keys);
    });
    expect(seen.filter(Boolean).map((doc) => doc?.id)).toEqual(keys.slice(0, 10));
  });
});
