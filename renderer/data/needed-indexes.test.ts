import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxCollection, RxJsonSchema, RxStorage } from 'rxdb';
import { createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-database.ts';
import { collectionOf, withoutUnreadIndexes } from './needed-indexes.ts';
import { posStorage } from './pos-storage.ts';

describe('withoutUnreadIndexes', () => {
  it('leaves out the clean-up index and the primary key behind _deleted when the schema has its own', () => {
    expect(
      withoutUnreadIndexes(
        'code, [_deleted+code], [_deleted+saleId+code], [_meta.lwt+code], _meta.lwt',
      ),
    ).toBe('code, [_deleted+saleId+code], [_meta.lwt+code]');
  });

  it('keeps the primary key behind _deleted for a schema with no index of its own: queries read it', () => {
    expect(withoutUnreadIndexes('id, [_deleted+id], [_meta.lwt+id], _meta.lwt')).toBe(
      'id, [_deleted+id], [_meta.lwt+id]',
    );
  });

  it('leaves a spec with neither alone', () => {
    expect(withoutUnreadIndexes('++sequence, id')).toBe('++sequence, id');
    expect(withoutUnreadIndexes('')).toBe('');
  });
});

describe('collectionOf', () => {
  it("reads the collection from the name RxDB's Dexie storage gives its database", () => {
    expect(collectionOf('rxdb-dexie-entitle-pos--2--products')).toBe('products');
    expect(collectionOf('rxdb-dexie-entitle-pos--0--plugin-local-documents-')).toBe(
      'plugin-local-documents-',
    );
    expect(collectionOf('some-other-database')).toBeNull();
  });
});

type Status = { code: string; saleId: string; state: string };
function statusSchema(version: number): RxJsonSchema<Status> {
  return {
    version,
    primaryKey: 'code',
    type: 'object',
    properties: {
      code: { type: 'string', maxLength: 40 },
      saleId: { type: 'string', maxLength: 40 },
      state: { type: 'string' },
    },
    required: ['code', 'saleId', 'state'],
    indexes: ['saleId'],
  };
}

let factory = new IDBFactory();
beforeAll(async () => {
  // Registers RxDB's dev-mode checks the way every renderer test does.
  await (await openTestDatabase()).close();
});
afterEach(() => {
  factory = new IDBFactory();
});

/** A collection of statuses: `entitlements`, which the POS pulls in bulk, unless named. */
async function openStatuses(
  storage: RxStorage<unknown, unknown>,
  options: { version?: number; migrate?: (doc: Status) => Status; name?: string } = {},
) {
  const { version = 0, migrate, name = 'entitlements' } = options;
  const db = await createRxDatabase<Record<string, RxCollection<Status>>>({
    name: 'needed-indexes',
    storage: wrappedValidateAjvStorage({ storage }),
    multiInstance: false,
  });
  await db.addCollections({
    [name]: {
      schema: statusSchema(version),
      ...(migrate ? { migrationStrategies: { [version]: migrate } } : {}),
    },
  });
  const statuses = db.collections[name];
  if (!statuses) throw new Error(`No collection ${name}`);
  return { db, statuses };
}

/** Every index of every IndexedDB database RxDB made for a collection, by database name. */
async function storedIndexes(collection = 'entitlements'): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const { name } of await factory.databases()) {
    if (name === undefined || collectionOf(name) !== collection) continue;
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    found[name] = [...idb.transaction('docs').objectStore('docs').indexNames].sort();
    idb.close();
  }
  return found;
}

const environment = () => ({ indexedDB: factory, IDBKeyRange });
const STATUSES = [
  { code: 'C-1', saleId: 'S-1', state: 'issued' },
  { code: 'C-2', saleId: 'S-1', state: 'issued' },
  { code: 'C-3', saleId: 'S-2', state: 'redeemed' },
];

describe('the POS storage without unread indexes', () => {
  it('creates a collection with its own index and [_meta.lwt+pk] only, and queries by its index', async () => {
    const { db, statuses } = await openStatuses(posStorage(environment()));
    try {
      await statuses.bulkInsert(STATUSES);
      const ofSale = await statuses.find({ selector: { saleId: 'S-1' } }).exec();
      expect(ofSale.map((doc) => doc.code).sort()).toEqual(['C-1', 'C-2']);
      expect(await statuses.count().exec()).toBe(3);
    } finally {
      await db.close();
    }
    expect(Object.values(await storedIndexes())).toEqual([
      ['[_deleted+saleId+code]', '[_meta.lwt+code]'],
    ]);
  });

  it('leaves every index to a collection not pulled in bulk (the sales, written at the counter)', async () => {
    const { db, statuses } = await openStatuses(posStorage(environment()), { name: 'sales' });
    await statuses.bulkInsert(STATUSES);
    await db.close();
    expect(Object.values(await storedIndexes('sales'))).toEqual([
      ['[_deleted+code]', '[_deleted+saleId+code]', '[_meta.lwt+code]', '_meta.lwt'],
    ]);
  });

  it('opens a database an earlier build made with every index, and keeps them up to date', async () => {
    const earlier = await openStatuses(
      getRxStorageDexie({ ...environment(), chromeTransactionDurability: 'strict' }),
    );
    await earlier.statuses.bulkInsert(STATUSES.slice(0, 2));
    await earlier.db.close();
    const { db, statuses } = await openStatuses(posStorage(environment()));
    try {
      await statuses.bulkInsert(STATUSES.slice(2));
      await statuses.upsert({ code: 'C-1', saleId: 'S-2', state: 'redeemed' });
      const ofSale = await statuses.find({ selector: { saleId: 'S-2' } }).exec();
      expect(ofSale.map((doc) => doc.code).sort()).toEqual(['C-1', 'C-3']);
    } finally {
      await db.close();
    }
    expect(Object.values(await storedIndexes())).toEqual([
      ['[_deleted+code]', '[_deleted+saleId+code]', '[_meta.lwt+code]', '_meta.lwt'],
    ]);
  });

  it('migrates a collection to a new schema version: the migration reads [_meta.lwt+pk]', async () => {
    const storage = posStorage(environment());
    const first = await openStatuses(storage);
    await first.statuses.bulkInsert(STATUSES);
    await first.db.close();
    const { db, statuses } = await openStatuses(storage, {
      version: 1,
      migrate: (doc) => ({ ...doc, state: doc.state.toUpperCase() }),
    });
    try {
      const migrated = await statuses.find().exec();
      expect(migrated.map((doc) => [doc.code, doc.state])).toEqual([
        ['C-1', 'ISSUED'],
        ['C-2', 'ISSUED'],
        ['C-3', 'REDEEMED'],
      ]);
    } finally {
      await db.close();
    }
  });
});
