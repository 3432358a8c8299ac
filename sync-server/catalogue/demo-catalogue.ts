import type { ProductKind } from '../../shared/schemas/product.ts';
import { isoNow, type Clock } from '../deps.ts';
import { reserveSeq } from '../db/seq.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { ensureProductTemplate } from '../templates/templates.ts';
import { demoTemplates } from './demo-templates.ts';
import { inTransaction } from '../db/transaction.ts';

export const DEMO_STORE = { id: 'demo-store', name: 'Entitle Demo Shop', currency: 'EUR' } as const;

type DemoProduct = {
  id: string;
  name: string;
  description: string;
  kind: ProductKind;
  price: number;
  /** EAN-13 with a valid check digit, in the 200–299 range kept for in-store numbering. */
  barcode: string;
  /** Null: a multi-purpose gift card is outside VAT when sold (taxed when spent). */
  tax_class_id: string | null;
};

/**
 * Shelf prices include VAT, as in the EU. The three rates show the per-class rounding on the
 * receipt; the exempt class shows a zero line.
 */
export const DEMO_TAX_CLASSES = [
  { id: 'tax-standard', name: 'VAT', milli_percent: 20_000, inclusive: 1 },
  { id: 'tax-reduced', name: 'VAT reduced', milli_percent: 10_000, inclusive: 1 },
  { id: 'tax-medical', name: 'Medical, exempt', milli_percent: 0, inclusive: 1 },
] as const;

/** One of each kind, so a demo shows every path a code can take. Ids are stable across starts. */
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    id: 'prod-gift-25',
    name: 'Gift card €25',
    description: 'Spend it in the shop or online.',
    kind: 'gift_card',
    price: 2500,
    barcode: '2000000000251',
    tax_class_id: null,
  },
  {
    id: 'prod-gift-50',
    name: 'Gift card €50',
    description: 'Spend it in the shop or online.',
    kind: 'gift_card',
    price: 5000,
    barcode: '2000000000503',
    tax_class_id: null,
  },
  {
    id: 'prod-pcr-test',
    name: 'Diagnostic test voucher',
    description: 'One at-home PCR test kit, registered to the patient at redemption',
    kind: 'voucher',
    price: 8900,
    barcode: '2000000089003',
    tax_class_id: 'tax-medical',
  },
  {
    id: 'prod-design-suite',
    name: 'Design Suite licence',
    description: 'One year, one seat; the licence holder is named at redemption.',
    kind: 'licence',
    price: 19900,
    barcode: '2000000199009',
    tax_class_id: 'tax-standard',
  },
  {
    id: 'prod-team-licence',
    name: 'Design Suite team licence — 25 seats',
    description: 'One year, 25 seats; the seat holders are named by e-mail at redemption.',
    kind: 'licence',
    price: 249900,
    barcode: '2000002499008',
    tax_class_id: 'tax-standard',
  },
  {
    id: 'prod-winter-gala',
    name: 'Concert ticket — Winter Gala',
    description: 'One seat; the ticket holder is named at redemption.',
    kind: 'ticket',
    price: 4500,
    barcode: '2000000045009',
    tax_class_id: 'tax-reduced',
  },
  {
    id: 'prod-flu-vaccine',
    name: 'Flu vaccination voucher',
    description: 'One flu vaccination at any branch; book the appointment at redemption.',
    kind: 'voucher',
    price: 3500,
    barcode: '2000000035000',
    tax_class_id: 'tax-medical',
  },
];

/**
 * Creates the demo store and its catalogue (with templates) if they are missing. Idempotent:
 * products and templates that exist are left as they are (products keep their seq), so
 * restarting a demo does not re-send the catalogue.
 */
export async function seedDemoCatalogue(db: Db, clock: Clock): Promise<void> {
  const now = isoNow(clock);
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('stores')
      .values({ ...DEMO_STORE, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const existing = new Set(
      (
        await trx
          .selectFrom('products')
          .select('id')
          .where('store_id', '=', DEMO_STORE.id)
          .execute()
      ).map((row) => row.id),
    );
    await trx
      .insertInto('tax_classes')
      .values(
        DEMO_TAX_CLASSES.map((taxClass) => ({
          ...taxClass,
          store_id: DEMO_STORE.id,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await backfillCounterFields(trx, clock);
    const missing = DEMO_PRODUCTS.filter((product) => !existing.has(product.id));
    if (missing.length > 0) {
      const firstSeq = await reserveSeq(trx, missing.length);
      await trx
        .insertInto('products')
        .values(
          missing.map((product, index) => ({
            ...product,
            store_id: DEMO_STORE.id,
            currency: DEMO_STORE.currency,
            active: 1,
            updated_at: now,
            seq: firstSeq + index,
          })),
        )
        .execute();
    }
    // Also for demo data directories made before templates existed; an edited one is kept.
    // In catalogue order, so terminals pull the products in the order the grid shows them.
    const templates = demoTemplates(clock());
    for (const product of DEMO_PRODUCTS) {
      const template = templates[product.id];
      if (template) await ensureProductTemplate(trx, product.id, template, clock);
    }
  });
}

/** Demo data made before barcodes and tax: those products get theirs, with a new seq to pull. */
async function backfillCounterFields(trx: DbOrTrx, clock: Clock): Promise<void> {
  const bare = await trx
    .selectFrom('products')
    .select('id')
    .where('store_id', '=', DEMO_STORE.id)
    .where('barcode', 'is', null)
    .execute();
  for (const { id } of bare) {
    const product = DEMO_PRODUCTS.find((candidate) => candidate.id === id);
    if (!product) continue;
    await trx
      .updateTable('products')
      .set({
        barcode: product.barcode,
        tax_class_id: product.tax_class_id,
        updated_at: isoNow(clock),
        seq: await reserveSeq(trx, 1),
      })
      .where('id', '=', id)
      .execute();
  }
}
