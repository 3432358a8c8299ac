import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { OWN_STATUSES_DOC, openEntitleDatabase, type EntitleDatabase } from './database.ts';
import { posStorage } from './pos-storage.ts';

const status = (code: string, saleId: string): EntitlementStatus => ({
  code,
  storeId: 'demo-store',
  saleId,
  productId: 'prod-gift-25',
  productName: 'Gift card €25',
  kind: 'gift_card',
  state: 'known',
  consumedAt: null,
  updatedAt: '2026-11-29T10:00:00.000Z',
});

const indexedDB = new IDBFactory();
// Validated, as every test's store: RxDB's dev-mode, on in other tests of the same worker, wants it.
const open = () =>
  openEntitleDatabase({
    name: 'own-statuses-test',
    storage: wrappedValidateAjvStorage({ storage: posStorage({ indexedDB, IDBKeyRange }) }),
  });

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('the statuses a till holds', () => {
  it("drops, once, the store's statuses an earlier build pulled: from disk, not marked deleted", async () => {
    const key = new Uint8Array(32).fill(7);
    const [mine, theirs] = await Promise.all([
      issueCode({ prefix: 'AAAA', serial: 1, key }),
      issueCode({ prefix: 'BBBB', serial: 1, key }),
    ]);
    db = await open();
    // As an earlier build left the store: statuses of every till's codes, and no mark.
    await db.entitlements.bulkInsert([status(mine, 'sale-mine'), status(theirs, 'sale-theirs')]);
    await (await db.getLocal(OWN_STATUSES_DOC))?.remove();
    await db.close();

    db = await open();
    expect(await db.entitlements.count().exec()).toBe(0);
    const stored = await db.entitlements.storageInstance.findDocumentsById([mine, theirs], true);
    expect(stored).toEqual([]);
    expect(await db.getLocal(OWN_STATUSES_DOC)).not.toBeNull();

    // What the till pulls afterwards (its own codes) stays through the next start.
    await db.entitlements.insert(status(mine, 'sale-mine'));
    await db.close();
    db = await open();
    expect((await db.entitlements.find().exec()).map((doc) => doc.code)).toEqual([mine]);
  });
});
