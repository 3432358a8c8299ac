import type { Readable } from 'node:stream';
import type { DbOrTrx } from '../../db/schema.ts';
import type { SaleFilters } from '../sales/sale-filters.ts';
import { matchingSales, matchingSalesWithNames, summaryOf } from '../sales/sales-query.ts';
import { csvStream, keysetPages } from './csv-stream.ts';

const HEADER = [
  'receipt_number',
  'sale_id',
  'store',
  'terminal',
  'staff',
  'created_at',
  'received_at',
  'currency',
  'subtotal',
  'discount',
  'tax',
  'total',
  'cash',
  'card',
  'buyer_email',
  'items',
  'codes',
] as const;

/** Every matching sale in the server's order (seq), one query per page. Amounts in minor units. */
export function salesCsv(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: SaleFilters,
  pageSize?: number,
): Readable {
  const pages = keysetPages(
    (after: number | null, limit) => {
      let query = matchingSalesWithNames(db, storeIds, filters)
        .select([
          'sales.seq',
          'sales.id',
          'sales.receipt_number',
          'sales.created_at',
          'sales.received_at',
          'sales.body',
          'stores.name as store_name',
          'terminals.name as terminal_name',
          'staff.name as staff_name',
        ])
        .orderBy('sales.seq')
        .limit(limit);
      if (after !== null) query = query.where('sales.seq', '>', after);
      return query.execute();
    },
    (row) => row.seq,
    pageSize,
  );
  return csvStream(HEADER, pages, (row) => {
    const body = summaryOf(row.body);
    const paid = (method: string) =>
      body.payments.filter((p) => p.method === method).reduce((sum, p) => sum + p.amount, 0);
    return [
      row.receipt_number,
      row.id,
      row.store_name,
      row.terminal_name,
      row.staff_name,
      row.created_at,
      row.received_at,
      body.currency,
      body.subtotal,
      body.discountTotal,
      body.taxTotal,
      body.total,
      paid('cash'),
      paid('card'),
      body.buyerEmail ?? null,
      body.lines.map((line) => `${String(line.quantity)} × ${line.name}`).join('; '),
      body.lines.flatMap((line) => line.codes).join(' '),
    ];
  });
}

export async function countSales(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: SaleFilters,
): Promise<number> {
  const row = await matchingSales(db, storeIds, filters)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
