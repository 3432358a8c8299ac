/**
 * The physical floor of a first sync: as many product-sized and status-sized records as the sync
 * pulls, put into IndexedDB by hand (no server, no HTTP, no RxDB), both collections at once, in
 * pages of one transaction each, with RxDB's Dexie index set or fewer indexes. What IndexedDB
 * itself costs on this machine (docs/PERFORMANCE.md, eighth round).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../kit/browser.ts';
import { rounded } from '../kit/stats.ts';
import { chromiumCpu } from './first-sync.ts';

/**
 * `rxdb`: the indexes RxDB's Dexie storage gives a collection (`[_deleted+pk]`, the schema's own
 * index behind `_deleted`, `[_meta.lwt+pk]`, `_meta.lwt`); `needed`: the two of them the POS uses
 * (the schema's own index and `[_meta.lwt+pk]`, renderer/data/needed-indexes.ts); `one`: only the
 * schema's own index; `primary`: none; `page`: each page stored as one record.
 */
export type FloorIndexes = 'rxdb' | 'needed' | 'one' | 'primary' | 'page';

export type FloorOptions = {
  readonly products: number;
  readonly statuses: number;
  readonly indexes: FloorIndexes;
  readonly pageSize: number;
  readonly durability: IDBTransactionDurability;
  /** Above 1: the statuses grouped that many to a record (as grouped by sale). */
  readonly statusesPerRecord: number;
};

/** The POS's own index set since the twelfth round (renderer/data/needed-indexes.ts). */
export const POS_FLOOR: Omit<FloorOptions, 'products' | 'statuses'> = {
  indexes: 'needed',
  pageSize: 2000,
  durability: 'strict',
  statusesPerRecord: 1,
};

export type FloorRun = {
  readonly seconds: number;
  /** Chromium's CPU seconds per process type ("browser" holds IndexedDB's backing store). */
  readonly cpuSeconds: Readonly<Record<string, number>>;
};

export async function measureFirstSyncFloor(options: FloorOptions): Promise<FloorRun> {
  // IndexedDB needs an origin: an empty page on localhost.
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<!doctype html><title>floor</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // tsx wraps named inner functions in __name(...): the page needs that helper too.
    await page.addInitScript('globalThis.__name ??= (fn) => fn;');
    await page.goto(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`);
    const system = await browser.newBrowserCDPSession();
    const before = await chromiumCpu(system);
    const seconds = await page.evaluate(putRecords, options);
    const after = await chromiumCpu(system);
    const cpuSeconds: Record<string, number> = {};
    for (const [type, value] of after) cpuSeconds[type] = rounded(value - (before.get(type) ?? 0));
    return { seconds, cpuSeconds };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Runs in the page: makes the records as the POS stores them and puts them; seconds taken. */
async function putRecords(options: FloorOptions): Promise<number> {
  const { indexes, pageSize, durability, statusesPerRecord } = options;
  const open = (name: string, secondary: string) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore('docs', { keyPath: 'id' });
        if (indexes === 'rxdb') {
          store.createIndex('[_deleted+id]', ['_deleted', 'id']);
          store.createIndex(`[_deleted+${secondary}+id]`, ['_deleted', secondary, 'id']);
          store.createIndex('[_meta.lwt+id]', ['_meta.lwt', 'id']);
          store.createIndex('_meta.lwt', '_meta.lwt');
        } else if (indexes === 'needed') {
          store.createIndex(`[_deleted+${secondary}+id]`, ['_deleted', secondary, 'id']);
          store.createIndex('[_meta.lwt+id]', ['_meta.lwt', 'id']);
        } else if (indexes === 'one') {
          store.createIndex(secondary, secondary);
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
  const put = (db: IDBDatabase, records: readonly object[]) =>
    new Promise<void>((resolve, reject) => {
      const tx = db.transaction('docs', 'readwrite', { durability });
      const store = tx.objectStore('docs');
      for (const record of records) store.put(record);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    });
  const padded = (i: number, width: number) => String(i).padStart(width, '0');
  const meta = (i: number) => ({
    _deleted: '0',
    _rev: '1-abcdefghij',
    _attachments: {},
    _meta: { lwt: 1_780_000_000_000 + i },
  });
  const product = (i: number) => ({
    id: `bench-product-${padded(i, 5)}`,
    storeId: 'store-demo-0000000001',
    name: `Premium Spa day ${padded(i, 5)}`,
    description: `Seeded for the benchmark, item ${String(i)} of ${String(options.products)}.`,
    kind: 'voucher',
    price: 4500 + i,
    currency: 'EUR',
    active: true,
    validityDays: 365,
    barcode: null,
    taxClass: null,
    template: {
      id: 'tpl-1',
      version: 1,
      fields: [{ key: 'name', label: 'Name', type: 'text', required: true }],
    },
    updatedAt: '2026-11-29T06:00:00.000Z',
    ...meta(i),
  });
  const status = (i: number) => ({
    id: `ENT-${padded(i, 6)}-ABCD-EFGH-JKLM`,
    storeId: 'store-demo-0000000001',
    saleId: `sale-${padded(Math.floor(i / 2), 8)}-0000-0000`,
    productId: `bench-product-${padded(i % 20_000, 5)}`,
    productName: `Premium Spa day ${padded(i % 20_000, 5)}`,
    kind: 'voucher',
    state: 'known',
    consumedAt: null,
    updatedAt: '2026-11-29T06:00:00.000Z',
    ...meta(i),
  });
  const group = (i: number) => ({
    ...status(i * statusesPerRecord),
    statuses: Array.from({ length: statusesPerRecord }, (_, k) =>
      status(i * statusesPerRecord + k),
    ),
  });
  const fill = async (db: IDBDatabase, count: number, make: (i: number) => object) => {
    for (let from = 0; from < count; from += pageSize) {
      const records: object[] = [];
      for (let i = from; i < Math.min(count, from + pageSize); i++) records.push(make(i));
      await put(db, indexes === 'page' ? [{ id: `page-${String(from)}`, records }] : records);
    }
  };
  const products = await open('floor-products', 'name');
  const statuses = await open('floor-statuses', 'saleId');
  const start = performance.now();
  await Promise.all([
    fill(products, options.products, product),
    statusesPerRecord === 1
      ? fill(statuses, options.statuses, status)
      : fill(statuses, Math.ceil(options.statuses / statusesPerRecord), group),
  ]);
  return (performance.now() - start) / 1000;
}
