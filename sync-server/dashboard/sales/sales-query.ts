import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import type { Database, DbOrTrx } from '../../db/schema.ts';
import { dayRange, likeLiteral, normaliseCodeQuery, type SaleFilters } from './sale-filters.ts';

/**
 * The sales a signed-in user may see that match the filters, as a query the caller orders and
 * pages. `storeIds` is the user's scope (a manager: their store; an admin: every store) and is
 * always applied: a filter naming another store only narrows it, it never widens it.
 */
export function matchingSales(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: SaleFilters,
): SelectQueryBuilder<Database, 'sales', object> {
  let query = db.selectFrom('sales').where('sales.store_id', 'in', nonEmpty(storeIds));
  if (filters.store !== undefined) query = query.where('sales.store_id', '=', filters.store);
  if (filters.receipt !== undefined) {
    query = query.where('sales.receipt_number', '=', filters.receipt);
  }
  if (filters.staff !== undefined) query = query.where('sales.staff_id', '=', filters.staff);
  const { fromIso, toIsoExclusive } = dayRange(filters.from, filters.to);
  if (fromIso !== undefined) query = query.where('sales.created_at', '>=', fromIso);
  if (toIsoExclusive !== undefined) query = query.where('sales.created_at', '<', toIsoExclusive);
  if (filters.code !== undefined) {
    const code = normaliseCodeQuery(filters.code);
    query = query.where('sales.id', 'in', (eb) =>
      eb
        .selectFrom('entitlements')
        .select('entitlements.sale_id')
        .where('entitlements.code', '=', code),
    );
  }
  if (filters.email !== undefined) {
    // The body is canonical JSON, so the buyer's address appears exactly once, as this text.
    // Lower-cased on both sides: e-mail addresses are compared case-insensitively here.
    const needle = `${JSON.stringify('buyerEmail')}:${JSON.stringify(filters.email)}`;
    const pattern = `%${likeLiteral(needle.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(${sql.ref('sales.body')}) like ${pattern} escape '\\'`);
  }
  return query;
}

/** matchingSales with the names a list shows: store, terminal and (when known) staff member. */
export function matchingSalesWithNames(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: SaleFilters,
) {
  return matchingSales(db, storeIds, filters)
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .innerJoin('terminals', 'terminals.id', 'sales.terminal_id')
    .leftJoin('staff', 'staff.id', 'sales.staff_id');
}

/** `IN ()` is a syntax error in SQL; a user who sees no store matches nothing. */
export function nonEmpty(storeIds: readonly string[]): readonly string[] {
  return storeIds.length === 0 ? ['-none-'] : storeIds;
}

/** The parts of a stored sale's body the dashboard lists; the body was validated on arrival. */
export const SaleBodySummary = z.object({
  currency: z.string(),
  total: z.number(),
  subtotal: z.number(),
  discountTotal: z.number(),
  taxTotal: z.number(),
  buyerEmail: z.string().optional(),
  payments: z.array(z.object({ method: z.string(), amount: z.number() })),
  lines: z.array(
    z.object({
      lineId: z.string(),
      productId: z.string(),
      name: z.string(),
      quantity: z.number(),
      total: z.number(),
      codes: z.array(z.string()),
    }),
  ),
});
export type SaleBodySummary = z.infer<typeof SaleBodySummary>;

export function summaryOf(body: string): SaleBodySummary {
  return SaleBodySummary.parse(JSON.parse(body));
}
