import type { DbOrTrx } from '../../db/schema.ts';
import type { SaleFilters } from './sale-filters.ts';
import { matchingSalesWithNames, summaryOf } from './sales-query.ts';

export const SALES_PAGE_SIZE = 50;

export type SaleRow = {
  readonly id: string;
  readonly seq: number;
  readonly storeId: string;
  readonly storeName: string;
  readonly terminalName: string;
  readonly receiptNumber: string;
  readonly createdAt: string;
  readonly staffName: string | null;
  readonly total: number;
  readonly currency: string;
  readonly buyerEmail: string | null;
};

export type SalesPage = {
  readonly rows: readonly SaleRow[];
  /** The cursor of the next (older) page, or null on the last page. */
  readonly nextBefore: number | null;
};

/**
 * Newest first by the server's sequence (device clocks are not trusted for order), paged by
 * keyset: the next page is `seq < the last seq shown`, so page 1,000 costs what page 1 does and
 * a sale arriving meanwhile never shifts a row onto two pages.
 */
export async function searchSales(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: SaleFilters,
  page: { readonly before?: number; readonly limit?: number } = {},
): Promise<SalesPage> {
  const limit = page.limit ?? SALES_PAGE_SIZE;
  let query = matchingSalesWithNames(db, storeIds, filters)
    .select([
      'sales.id',
      'sales.seq',
      'sales.store_id',
      'sales.receipt_number',
      'sales.created_at',
      'sales.body',
      'stores.name as store_name',
      'terminals.name as terminal_name',
      'staff.name as staff_name',
    ])
    .orderBy('sales.seq', 'desc')
    .limit(limit + 1);
  if (page.before !== undefined) query = query.where('sales.seq', '<', page.before);
  const found = await query.execute();
  const shown = found.slice(0, limit);
  return {
    rows: shown.map((row) => {
      const body = summaryOf(row.body);
      return {
        id: row.id,
        seq: row.seq,
        storeId: row.store_id,
        storeName: row.store_name,
        terminalName: row.terminal_name,
        receiptNumber: row.receipt_number,
        createdAt: row.created_at,
        staffName: row.staff_name,
        total: body.total,
        currency: body.currency,
        buyerEmail: body.buyerEmail ?? null,
      };
    }),
    nextBefore: found.length > limit ? (shown.at(-1)?.seq ?? null) : null,
  };
}
