import { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock } from '../deps.ts';
import { describeIssues } from '../http/errors.ts';

/**
 * Product templates live on the server and travel to the terminals inside the product (protocol
 * v2): what a sale of the product issues. Stored as ProductTemplate JSON with its defaults
 * applied, and parsed again on every read, so a row edited by hand cannot slip a bad template
 * past the rules. Writing one gives its product a new seq, so terminals pull the change.
 */
export class TemplateRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRefused';
  }
}

async function checked(
  db: DbOrTrx,
  productId: string,
  template: unknown,
): Promise<ProductTemplate> {
  const parsed = ProductTemplate.safeParse(template);
  if (!parsed.success) {
    throw new TemplateRefused(
      `The template of ${productId} is not valid: ${describeIssues(parsed.error)}.`,
    );
  }
  const product = await db
    .selectFrom('products')
    .select('currency')
    .where('id', '=', productId)
    .executeTakeFirst();
  if (!product) throw new TemplateRefused(`There is no product ${productId} to give a template.`);
  if (parsed.data.kind === 'gift_card' && parsed.data.currency !== product.currency) {
    throw new TemplateRefused(
      `A gift card of ${productId} holds ${parsed.data.currency}, but the product sells in ${product.currency}.`,
    );
  }
  return parsed.data;
}

/** Sets (or replaces) a product's template; throws TemplateRefused and writes nothing if invalid. */
export async function setProductTemplate(
  db: DbOrTrx,
  productId: string,
  template: unknown,
  clock: Clock,
): Promise<ProductTemplate> {
  const valid = await checked(db, productId, template);
  const row = { product_id: productId, template: JSON.stringify(valid), updated_at: isoNow(clock) };
  await db
    .insertInto('product_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('product_id').doUpdateSet({ template: row.template, updated_at: row.updated_at }),
    )
    .execute();
  await touchProduct(db, productId, row.updated_at);
  return valid;
}

/** Gives a product a template unless it has one: seeding that never overwrites an edit. */
export async function ensureProductTemplate(
  db: DbOrTrx,
  productId: string,
  template: unknown,
  clock: Clock,
): Promise<void> {
  const valid = await checked(db, productId, template);
  const inserted = await db
    .insertInto('product_templates')
    .values({ product_id: productId, template: JSON.stringify(valid), updated_at: isoNow(clock) })
    .onConflict((oc) => oc.column('product_id').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) await touchProduct(db, productId, isoNow(clock));
}

async function touchProduct(db: DbOrTrx, productId: string, now: string): Promise<void> {
  const seq = await nextSeq(db);
  await db
    .updateTable('products')
    .set({ seq, updated_at: now })
    .where('id', '=', productId)
    .execute();
}

/** A template as stored (JSON text), checked; throws on a stored template that is invalid. */
export function parseStoredTemplate(productId: string, text: string): ProductTemplate {
  const parsed = ProductTemplate.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`Stored template of ${productId} is invalid: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

export async function templateOf(
  db: DbOrTrx,
  productId: string,
): Promise<ProductTemplate | undefined> {
  const row = await db
    .selectFrom('product_templates')
    .select('template')
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return row && parseStoredTemplate(productId, row.template);
}

/** The templates of a store's products among `productIds` (a sale's lines), by product id. */
export async function templatesOf(
  db: DbOrTrx,
  storeId: string,
  productIds: readonly string[],
): Promise<Map<string, ProductTemplate>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('product_templates')
    .innerJoin('products', 'products.id', 'product_templates.product_id')
    .select(['product_templates.product_id', 'product_templates.template'])
    .where('products.store_id', '=', storeId)
    .where('product_templates.product_id', 'in', [...new Set(productIds)])
    .execute();
  return new Map(
    rows.map((row) => [row.product_id, parseStoredTemplate(row.product_id, row.template)]),
  );
}
