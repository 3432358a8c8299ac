import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Product } from '../../shared/schemas/product.ts';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { systemRandomBytes } from '../deps.ts';
import { toProduct } from '../sync/pull.ts';
import { testClock } from '../test-support/harness.ts';
import { DEMO_PRODUCTS, DEMO_STORE, seedDemoCatalogue } from './demo-catalogue.ts';
import { ensureStore } from './stores.ts';

let db: Db;
const clock = testClock();
const deps = { clock: clock.now, randomBytes: systemRandomBytes };
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

describe('stores', () => {
  it('creates the configured store on first start only; later settings do not rename it', async () => {
    const first = await ensureStore(
      db,
      { demo: false, name: 'Corner Pharmacy', currency: 'GBP' },
      deps,
    );
    const again = await ensureStore(db, { demo: false, name: 'Renamed', currency: 'EUR' }, deps);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ name: 'Corner Pharmacy', currency: 'GBP' });
  });

  it('in demo mode is the demo store with its catalogue', async () => {
    const store = await ensureStore(db, { demo: true, name: 'ignored', currency: 'USD' }, deps);
    expect(store).toMatchObject(DEMO_STORE);
    const count = await db
      .selectFrom('products')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(DEMO_PRODUCTS.length);
  });

  it('prefers an existing demo store over creating one when asked (pairing-code without DEMO)', async () => {
    await ensureStore(db, { demo: true, name: 'x', currency: 'EUR' }, deps);
    const store = await ensureStore(
      db,
      { demo: false, name: 'My shop', currency: 'EUR', preferExisting: true },
      deps,
    );
    expect(store.id).toBe(DEMO_STORE.id);
  });
});

describe('demo catalogue', () => {
  it('gives products of demo data made before barcodes their barcode and tax, with a new seq', async () => {
    await seedDemoCatalogue(db, clock.now);
    const before = await db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', 'prod-winter-gala')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('products')
      .set({ barcode: null, tax_class_id: null })
      .where('id', '=', 'prod-winter-gala')
      .execute();
    await seedDemoCatalogue(db, clock.now);
    const after = await db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', 'prod-winter-gala')
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ barcode: before.barcode, tax_class_id: 'tax-reduced' });
    expect(after.seq).toBeGreaterThan(before.seq);
  });

  it('is idempotent: a second seed writes nothing and keeps every seq', async () => {
    await seedDemoCatalogue(db, clock.now);
    const before = await db.selectFrom('products').selectAll().orderBy('seq').execute();
    clock.advance(60_000);
    await seedDemoCatalogue(db, clock.now);
    const after = await db.selectFrom('products').selectAll().orderBy('seq').execute();
    expect(after).toEqual(before);
  });

  it('holds valid products with stable ids, including the ones the demo script sells', async () => {
    await seedDemoCatalogue(db, clock.now);
    const rows = await db.selectFrom('products').selectAll().orderBy('seq').execute();
    const products = rows.map((row) =>
      Product.parse(
        toProduct({
          ...row,
          template: null,
          tax_name: null,
          tax_milli_percent: null,
          tax_inclusive: null,
        }),
      ),
    );
    expect(
      products.map((product) => [product.id, product.name, product.kind, product.price]),
    ).toEqual(
      expect.arrayContaining([
        ['prod-gift-25', 'Gift card €25', 'gift_card', 2500],
        ['prod-gift-50', 'Gift card €50', 'gift_card', 5000],
        ['prod-pcr-test', 'Diagnostic test voucher', 'voucher', 8900],
        ['prod-design-suite', 'Design Suite licence', 'licence', 19900],
        ['prod-winter-gala', 'Concert ticket — Winter Gala', 'ticket', 4500],
        ['prod-flu-vaccine', 'Flu vaccination voucher', 'voucher', 3500],
      ]),
    );
    expect(products.find((product) => product.id === 'prod-pcr-test')?.description).toBe(
      'One at-home PCR test kit, registered to the patient at redemption',
    );
    expect(new Set(rows.map((row) => row.seq)).size).toBe(rows.length);
  });
});
