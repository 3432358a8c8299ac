import type { DexieSettings, RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { neededIndexesOnly } from './needed-indexes.ts';
import { rangedGetMany } from './ranged-get-many.ts';

/** The collections a first sync pulls by the thousand (renderer/sync/replication.ts). */
export const PULLED_IN_BULK = ['products', 'entitlements'] as const;

/**
 * The POS's storage: IndexedDB through Dexie.
 *
 * Every write transaction is `strict`: IndexedDB reports it done only once it is flushed to
 * disk. Chromium's default behaves like `relaxed` (done when the OS has it), which survives a
 * crash of the app but not a power cut. A sale, or the counter that reserved its codes' serials,
 * lost to a power cut after the receipt was printed would break "nothing sold is lost" and
 * "codes are never issued twice" (DESIGN invariants 1 and 4). It costs a few milliseconds a
 * write (docs/PERFORMANCE.md).
 *
 * A lookup of many keys takes a count and a range read, not one request a key (`rangedGetMany`):
 * a first sync's largest cost otherwise (issue #7). And the collections a first sync pulls in
 * bulk are declared without the two indexes the POS never reads (`neededIndexesOnly`): IndexedDB
 * keeps every index of every record it writes.
 */
export function posStorage(
  environment: Pick<DexieSettings, 'indexedDB' | 'IDBKeyRange'> = {},
): RxStorage<unknown, unknown> {
  return getRxStorageDexie({
    ...environment,
    addons: [rangedGetMany, neededIndexesOnly(PULLED_IN_BULK)],
    chromeTransactionDurability: 'strict',
  });
}
