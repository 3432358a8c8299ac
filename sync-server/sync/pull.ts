import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { ProductTemplate } from '../../shared/templates/product-template.ts';
import { TaxClass } from '../../shared/pricing/tax.ts';
import { PullQuery, type PullResponse } from '../../shared/schemas/protocol.ts';
import { requireTerminal, type AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import type { EntitlementsTable, ProductsTable } from '../db/schema.ts';
import type { AppContext } from '../deps.ts';
import { parseOr400 } from '../http/errors.ts';

/** A product row with its template's JSON and its tax class (null where it has none). */
export type ProductWithTemplate = ProductsTable & {
  readonly template: string | null;
  readonly tax_name: string | null;
  readonly tax_milli_percent: number | null;
  readonly tax_inclusive: number | null;
};

function taxClassOf(row: ProductWithTemplate): TaxClass | null {
  if (row.tax_class_id === null || row.tax_name === null) return null;
  return TaxClass.parse({
    id: row.tax_class_id,
    name: row.tax_name,
    milliPercent: row.tax_milli_percent,
    inclusive: row.tax_inclusive === 1,
  });
}

export function toProduct(row: ProductWithTemplate): Product {
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    description: row.description,
    kind: row.kind as Product['kind'],
    price: row.price,
    currency: row.currency,
    active: row.active === 1,
    // Checked on write and parsed again here, so a row edited by hand never reaches a till.
    template: row.template === null ? null : ProductTemplate.parse(JSON.parse(row.template)),
    barcode: row.barcode,
    taxClass: taxClassOf(row),
    updatedAt: row.updated_at,
  };
}

export function toEntitlementStatus(row: EntitlementsTable): EntitlementStatus {
  return {
    code: row.code,
    storeId: row.store_id,
    saleId: row.sale_id,
    productId: row.product_id,
    productName: row.product_name,
    kind: row.kind as EntitlementStatus['kind'],
    state: row.state as EntitlementStatus['state'],
    consumedAt: row.consumed_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Pulls are "everything of my store after checkpoint seq, oldest first"; the codes' statuses are
 * "everything of mine", the codes this terminal issued (a till has no use for another till's
 * bearer codes, and should not hold them). Server-written
 * documents are never deleted (a product is deactivated, a code voided, a staff member made
 * inactive), so `_deleted` is false. `remaining` is how many such rows come after the
 * page, when the route counts them (a full page; a short one is the last): a new till shows its
 * first sync's progress with it.
 */
function pullPage<Row extends { seq: number }, Doc>(
  rows: readonly Row[],
  since: number,
  toDocument: (row: Row) => Doc,
  remaining: number | undefined,
): PullResponse<Doc> {
  return {
    documents: rows.map((row) => ({ ...toDocument(row), _deleted: false })),
    checkpoint: { seq: rows.at(-1)?.seq ?? since },
    ...(remaining === undefined ? {} : { remaining }),
  };
}

/** Counts the rows a terminal pulls after a seq, for `remaining`. */
export type CountAfter = (terminal: AuthenticatedTerminal, seq: number) => Promise<number>;

/**
 * GET `path`: the rows the terminal pulls after the checkpoint (`rowsAfter`: its store's, or
 * its own), as one page. With `countAfter`, a full page also says how many rows follow it.
 */
export function storePullRoute<Row extends { seq: number }>(
  app: FastifyInstance,
  path: string,
  rowsAfter: (
    terminal: AuthenticatedTerminal,
    query: { seq: number; limit: number },
  ) => Promise<Row[]>,
  toDocument: (row: Row) => object,
  countAfter?: CountAfter,
): void {
  app.get(path, async (request) => {
    const terminal = requireTerminal(request);
    const query = parseOr400(PullQuery, request.query, 'pull query');
    const rows = await rowsAfter(terminal, query);
    const last = rows.at(-1)?.seq;
    const remaining =
      countAfter === undefined
        ? undefined
        : rows.length < query.limit || last === undefined
          ? 0
          : await countAfter(terminal, last);
    return pullPage(rows, query.seq, toDocument, remaining);
  });
}

/**
 * Rows of `table` after a seq whose `owner` column is the terminal's store (`store_id`) or the
 * terminal itself (`terminal_id`): a range of the table's (owner, seq) index.
 */
function countAfterIn(
  ctx: AppContext,
  table: 'products' | 'entitlements',
  owner: 'store_id' | 'terminal_id',
): CountAfter {
  return async (terminal, seq) => {
    const row = await ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql.ref(owner), '=', owner === 'store_id' ? terminal.storeId : terminal.id)
      .where('seq', '>', seq)
      .executeTakeFirstOrThrow();
    return row.n;
  };
}

export function pullRoutes(app: FastifyInstance, ctx: AppContext): void {
  storePullRoute(
    app,
    '/products/pull',
    (terminal, query) =>
      ctx.db
        .selectFrom('products')
        .leftJoin('product_templates', 'product_templates.product_id', 'products.id')
        .leftJoin('tax_classes', 'tax_classes.id', 'products.tax_class_id')
        .selectAll('products')
        .select([
          'product_templates.template',
          'tax_classes.name as tax_name',
          'tax_classes.milli_percent as tax_milli_percent',
          'tax_classes.inclusive as tax_inclusive',
        ])
        .where('products.store_id', '=', terminal.storeId)
        .where('products.seq', '>', query.seq)
        .orderBy('products.seq')
        .limit(query.limit)
        .execute(),
    toProduct,
    countAfterIn(ctx, 'products', 'store_id'),
  );

  storePullRoute(
    app,
    '/entitlements/pull',
    (terminal, query) =>
      ctx.db
        .selectFrom('entitlements')
        .selectAll()
        .where('terminal_id', '=', terminal.id)
        .where('seq', '>', query.seq)
        .orderBy('seq')
        .limit(query.limit)
        .execute(),
    toEntitlementStatus,
    countAfterIn(ctx, 'entitlements', 'terminal_id'),
  );
}
