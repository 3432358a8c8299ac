/**
 * The physical floor of a first sync: 20,000 product-sized and 50,000 status-sized documents put
 * into IndexedDB by hand, in pages of one transaction each, with RxDB's Dexie index set or with
 * fewer indexes. Prints wall time and Chromium's CPU seconds per process type.
 *
 *   npx tsx bench/new-terminal/idb-floor.ts [indexes: rxdb|primary|one|page] [page size]
 *     [durability: strict|relaxed|default] [statuses a record: 1]
 *
 * `page` stores each page as one record. Statuses a record above 1 stores the statuses grouped,
 * that many in one record (as grouped by sale), the same 50,000 in all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../kit/browser.ts';

type Variant = 'rxdb' | 'primary' | 'one' | 'page';

const variant = (process.argv[2] ?? 'rxdb') as Variant;
const pageSize = Number(process.argv[3] ?? 2000);
const durability = (process.argv[4] ?? 'strict') as 'strict' | 'relaxed' | 'default';
const statusesPerRecord = Number(process.argv[5] ?? 1);

const server = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html');
  response.end('<!doctype html><title>floor</title>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;

const browser = await launchChromium();
const page = await browser.newPage();
// tsx wraps named inner functions in __name(...): the page needs that helper too.
await page.addInitScript('globalThis.__name ??= (fn) => fn;');
await page.goto(url);
const system = await browser.newBrowserCDPSession();
const cpu = async () => {
  const info = (await system.send('SystemInfo.getProcessInfo')) as {
    readonly processInfo: readonly { readonly type: string; readonly cpuTime: number }[];
  };
  const byType: Record<string, number> = {};
  for (const p of info.processInfo) byType[p.type] = (byType[p.type] ?? 0) + p.cpuTime;
  return byType;
};
const before = await cpu();
const result = await page.evaluate(
  async ({ variant, pageSize, durability, statusesPerRecord }) => {
    const open = (name: string, secondary: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore('docs', { keyPath: 'id' });
          if (variant === 'rxdb') {
            store.createIndex('[_deleted+id]', ['_deleted', 'id']);
            store.createIndex(`[_deleted+${secondary}+id]`, ['_deleted', secondary, 'id']);
            store.createIndex('[_meta.lwt+id]', ['_meta.lwt', 'id']);
            store.createIndex('_meta.lwt', '_meta.lwt');
          } else if (variant === 'one') {
            store.createIndex(secondary, secondary);
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
    const put = (db: IDBDatabase, docs: readonly object[]) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction('docs', 'readwrite', { durability });
        const store = tx.objectStore('docs');
        for (const doc of docs) store.put(doc);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('tx failed'));
      });
    const meta = (i: number) => ({
      _deleted: '0',
      _rev: '1-abcdefghij',
      _attachments: {},
      _meta: { lwt: 1_780_000_000_000 + i },
    });
    const product = (i: number) => ({
      id: `bench-product-${String(i).padStart(5, '0')}`,
      storeId: 'store-demo-0000000001',
      name: `Premium Spa day ${String(i).padStart(5, '0')}`,
      description: `Seeded for the benchmark, item ${String(i)} of 20000.`,
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
      id: `ENT-${String(i).padStart(6, '0')}-ABCD-EFGH-JKLM`,
      storeId: 'store-demo-0000000001',
      saleId: `sale-${String(Math.floor(i / 2)).padStart(8, '0')}-0000-0000`,
      productId: `bench-product-${String(i % 20000).padStart(5, '0')}`,
      productName: `Premium Spa day ${String(i % 20000).padStart(5, '0')}`,
      kind: 'voucher',
      state: 'known',
      consumedAt: null,
      updatedAt: '2026-11-29T06:00:00.000Z',
      ...meta(i),
    });
    const products = await open('floor-products', 'name');
    const statuses = await open('floor-statuses', 'saleId');
    const start = performance.now();
    const fill = async (db: IDBDatabase, count: number, make: (i: number) => object) => {
      for (let from = 0; from < count; from += pageSize) {
        const docs: object[] = [];
        for (let i = from; i < Math.min(count, from + pageSize); i++) docs.push(make(i));
        await put(db, variant === 'page' ? [{ id: `page-${String(from)}`, docs }] : docs);
      }
    };
    const group = (i: number) => ({
      ...status(i * statusesPerRecord),
      statuses: Array.from({ length: statusesPerRecord }, (_, k) =>
        status(i * statusesPerRecord + k),
      ),
    });
    await Promise.all([
      fill(products, 20_000, product),
      statusesPerRecord === 1
        ? fill(statuses, 50_000, status)
        : fill(statuses, Math.ceil(50_000 / statusesPerRecord), group),
    ]);
    return { seconds: (performance.now() - start) / 1000 };
  },
  { variant, pageSize, durability, statusesPerRecord },
);
const after = await cpu();
const cpuSeconds: Record<string, number> = {};
for (const [type, value] of Object.entries(after))
  cpuSeconds[type] = Math.round((value - (before[type] ?? 0)) * 100) / 100;
console.log(
  JSON.stringify({ variant, pageSize, durability, statusesPerRecord, ...result, cpuSeconds }),
);
await browser.close();
server.close();
