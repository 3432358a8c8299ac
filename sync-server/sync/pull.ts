import type { FastifyInstance } from 'fastify';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { ProductTemplate } from '../../shared/templates/product-template.ts';
import { PullQuery, type PullResponse } from '../../shared/schemas/protocol.ts';
import { requireTerminal } from '../auth/terminal-auth.ts';
import type { EntitlementsTable, ProductsTable } from '../db/schema.ts';
import type { AppContext } from '../deps.ts';
import { parseOr400 } from '../http/errors.ts';

/** A product row with its template's JSON (null when the product has none yet). */
export type ProductWithTemplate = ProductsTable & { readonly template: string | null };

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
 * Pulls are "everything of my store after checkpoint seq, oldest first". Server-written
 * documents are never deleted (a product is deactivated, a code voided), so `_deleted` is false.
 */
function page<Row extends { seq: number }, Doc>(
  rows: Row[],
  since: number,
  toDocument: (row: Row) => Doc,
): PullResponse<Doc> {
  return {
    documents: rows.map((row) => ({ ...toDocument(row), _deleted: false })),
    checkpoint: { seq: rows.at(-1)?.seq ?? since },
  };
}

export function pullRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/products/pull', async (request) => {
    const terminal = requireTerminal(request);
    const query = parseOr400(PullQuery, request.query, 'pull query');
    const rows = await ctx.db
      .selectFrom('products')
      .leftJoin('product_templates', 'product_templates.product_id', 'products.id')
      .selectAll('products')
      .select('product_templates.template')
      .where('products.store_id', '=', terminal.storeId)
      .where('products.seq', '>', query.seq)
      .orderBy('products.seq')
      .limit(query.limit)
      .execute();
    return page(rows, query.seq, toProduct);
  });

  app.get('/entitlements/pull', async (request) => {
    const terminal = requireTerminal(request);
    const query = parseOr400(PullQuery, request.query, 'pull query');
    const rows = await ctx.db
      .selectFrom('entitlements')
      .selectAll()
      .where('store_id', '=', terminal.storeId)
      .where('seq', '>', query.seq)
      .orderBy('seq')
      .limit(query.limit)
      .execute();
    return page(rows, query.seq, toEntitlementStatus);
  });
}
