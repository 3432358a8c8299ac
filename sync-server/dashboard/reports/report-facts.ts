import { z } from 'zod';
import type { DbOrTrx } from '../../db/schema.ts';
import { keysetPages } from '../exports/csv-stream.ts';
import { dayRange } from '../sales/sale-filters.ts';
import { nonEmpty, summaryOf, type SaleBodySummary } from '../sales/sales-query.ts';
import { staffNames } from '../sales/sale-detail.ts';
import { reportBuilder, type Contribution, type FactKind, type Report } from './report-totals.ts';

export type ReportRange = { readonly from: string; readonly to: string };

const TENDER_LABELS: Record<string, string> = { cash: 'Cash', card: 'Card' };

const RefundBody = z.object({
  staffId: z.string().nullable().optional(),
  lineIds: z.array(z.string()),
  tenders: z.array(z.object({ method: z.string(), amount: z.number() })),
});
const VoidBody = z.object({ staffId: z.string().nullable().optional() });

type Fact = {
  readonly kind: FactKind;
  readonly day: string;
  readonly storeId: string;
  readonly staffId: string | null;
  readonly currency: string;
  readonly amount: number;
  /** The product lines this fact moved money on, with the amount on each. */
  readonly lines: readonly { productId: string; name: string; quantity: number; amount: number }[];
  readonly tenders: readonly { method: string; amount: number }[];
};

/**
 * Reads every sale, refund and void of the user's stores in the range (by each fact's own time,
 * in UTC days), page by page, into a report. A refund or void counts on the day it was made,
 * against the staff member who made it; its products and tenders come from its sale.
 */
export async function buildReport(
  db: DbOrTrx,
  storeIds: readonly string[],
  range: ReportRange,
): Promise<{ report: Report; storeNames: Map<string, string> }> {
  const { fromIso, toIsoExclusive } = dayRange(range.from, range.to);
  const from = fromIso ?? '';
  const to = toIsoExclusive ?? '';
  const stores = nonEmpty(storeIds);
  const builder = reportBuilder();
  const facts: Fact[] = [];
  const flush = async () => {
    builder.add(await contributionsOf(db, facts.splice(0)));
  };

  for await (const page of keysetPages(
    (after: number | null, limit) => {
      let query = db
        .selectFrom('sales')
        .select(['seq', 'store_id', 'staff_id', 'created_at', 'body'])
        .where('store_id', 'in', stores)
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .orderBy('seq')
        .limit(limit);
      if (after !== null) query = query.where('seq', '>', after);
      return query.execute();
    },
    (row) => row.seq,
  )) {
    for (const row of page) {
      const body = summaryOf(row.body);
      facts.push({
        kind: 'sale',
        day: row.created_at.slice(0, 10),
        storeId: row.store_id,
        staffId: row.staff_id,
        currency: body.currency,
        amount: body.total,
        lines: body.lines.map((line) => ({ ...line, amount: line.total })),
        tenders: body.payments,
      });
    }
    await flush();
  }

  for (const table of ['sale_refunds', 'sale_voids'] as const) {
    for await (const page of keysetPages(
      (after: number | null, limit) => {
        let query = db
          .selectFrom(table)
          .select(['seq', 'store_id', 'sale_id', 'created_at', 'body'])
          .where('store_id', 'in', stores)
          .where('created_at', '>=', from)
          .where('created_at', '<', to)
          .orderBy('seq')
          .limit(limit);
        if (after !== null) query = query.where('seq', '>', after);
        return query.execute();
      },
      (row) => row.seq,
    )) {
      const sales = await saleBodies(
        db,
        page.map((row) => row.sale_id),
      );
      for (const row of page) {
        const sale = sales.get(row.sale_id);
        // A refund or void whose sale has not arrived yet cannot be priced: it waits for it.
        if (sale === undefined) continue;
        facts.push(
          table === 'sale_refunds'
            ? refundFact(row, sale)
            : voidFact(row, sale, VoidBody.parse(JSON.parse(row.body)).staffId ?? null),
        );
      }
      await flush();
    }
  }
  const storeRows = await db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('id', 'in', stores)
    .execute();
  return {
    report: builder.build(),
    storeNames: new Map(storeRows.map((row) => [row.id, row.name])),
  };
}

type FactRow = { store_id: string; created_at: string; body: string };

function refundFact(row: FactRow, sale: SaleBodySummary): Fact {
  const refund = RefundBody.parse(JSON.parse(row.body));
  const lines = sale.lines.filter((line) => refund.lineIds.includes(line.lineId));
  const amount = refund.tenders.reduce((sum, tender) => sum + tender.amount, 0);
  return {
    kind: 'refund',
    day: row.created_at.slice(0, 10),
    storeId: row.store_id,
    staffId: refund.staffId ?? null,
    currency: sale.currency,
    amount,
    lines: lines.map((line) => ({ ...line, amount: line.total })),
    tenders: refund.tenders,
  };
}

function voidFact(row: FactRow, sale: SaleBodySummary, staffId: string | null): Fact {
  return {
    kind: 'void',
    day: row.created_at.slice(0, 10),
    storeId: row.store_id,
    staffId,
    currency: sale.currency,
    amount: sale.total,
    lines: sale.lines.map((line) => ({ ...line, amount: line.total })),
    tenders: sale.payments,
  };
}

async function saleBodies(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<Map<string, SaleBodySummary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales')
    .select(['id', 'body'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, summaryOf(row.body)]));
}

const DAY_LABEL = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

async function contributionsOf(db: DbOrTrx, facts: readonly Fact[]): Promise<Contribution[]> {
  const names = await staffNames(db, [
    ...new Set(facts.flatMap((fact) => (fact.staffId === null ? [] : [fact.staffId]))),
  ]);
  return facts.flatMap((fact) => {
    const base = { currency: fact.currency, kind: fact.kind };
    const once = fact.kind === 'sale' ? 1 : 0;
    const staffLabel =
      fact.staffId === null ? 'Nobody signed in' : (names.get(fact.staffId) ?? fact.staffId);
    return [
      {
        ...base,
        dimension: 'day' as const,
        key: fact.day,
        label: DAY_LABEL.format(new Date(`${fact.day}T00:00:00Z`)),
        amount: fact.amount,
        count: once,
      },
      {
        ...base,
        dimension: 'store' as const,
        key: fact.storeId,
        label: fact.storeId,
        amount: fact.amount,
        count: once,
      },
      {
        ...base,
        dimension: 'staff' as const,
        key: fact.staffId ?? '-',
        label: staffLabel,
        amount: fact.amount,
        count: once,
      },
      ...fact.lines.map((line) => ({
        ...base,
        dimension: 'product' as const,
        key: line.productId,
        label: line.name,
        amount: line.amount,
        count: fact.kind === 'sale' ? line.quantity : 0,
      })),
      ...fact.tenders.map((tender) => ({
        ...base,
        dimension: 'tender' as const,
        key: tender.method,
        label: TENDER_LABELS[tender.method] ?? tender.method,
        amount: tender.amount,
        count: once,
      })),
    ];
  });
}
