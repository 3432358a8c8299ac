import { IDBDatabase, IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { fillWithDefaultSettings, now } from 'rxdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { posStorage } from './pos-storage.ts';

type Doc = { id: string };
const schema = fillWithDefaultSettings<Doc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 } },
  required: ['id'],
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the POS storage', () => {
  it('asks IndexedDB for strict durability on every write, so a power cut loses no sale', async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const storage = posStorage({ indexedDB: new IDBFactory(), IDBKeyRange });
    const instance = await storage.createStorageInstance<Doc>({
      databaseInstanceToken: 'token',
      databaseName: 'pos-storage-test',
      collectionName: 'sales',
      schema,
      options: {},
      multiInstance: false,
      devMode: false,
    });
    try {
      transaction.mockClear();
      const written = await instance.bulkWrite(
        [
          {
            document: {
              id: 'sale-1',
              _deleted: false,
              _attachments: {},
              _rev: '1-a',
              _meta: { lwt: now() },
            },
          },
        ],
        'test',
      );
      expect(written.error).toEqual([]);
      const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite');
      expect(writes.length).toBeGreaterThan(0);
      for (const [, , options] of writes) expect(options).toEqual({ durability: 'strict' });
    } finally {
      await instance.remove();
    }
  });
});
