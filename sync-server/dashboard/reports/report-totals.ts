/**
 * The arithmetic of the dashboard's reports, pure: every sale, refund and void becomes
 * contributions to the groups it belongs to (its day, store, staff member, each product and
 * each tender), and the groups are summed. Refunded and voided money are kept apart from sales
 * so a manager sees both; net = sales − refunds − voided. Money is integer minor units.
 */
export const DIMENSIONS = ['day', 'store', 'product', 'staff', 'tender'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type FactKind = 'sale' | 'refund' | 'void';

export type Contribution = {
  readonly dimension: Dimension;
  /** What groups it: a day (YYYY-MM-DD), a store id, a product id, a staff id, a tender. */
  readonly key: string;
  readonly label: string;
  readonly currency: string;
  readonly kind: FactKind;
  readonly amount: number;
  /** Sales counted (day, store, staff), units sold (product) or payments (tender). */
  readonly count: number;
};

export type ReportRow = {
  readonly key: string;
  readonly label: string;
  readonly currency: string;
  readonly count: number;
  readonly sales: number;
  readonly refunds: number;
  readonly voided: number;
  readonly net: number;
};

export type Report = Record<Dimension, readonly ReportRow[]> & {
  /** One total per currency (a report over stores in several currencies does not add them). */
  readonly totals: readonly ReportRow[];
};

type Mutable = { -readonly [K in keyof ReportRow]: ReportRow[K] };

function add(row: Mutable, c: Contribution): void {
  if (c.kind === 'sale') {
    row.sales += c.amount;
    row.count += c.count;
  } else if (c.kind === 'refund') {
    row.refunds += c.amount;
  } else {
    row.voided += c.amount;
  }
  row.net = row.sales - row.refunds - row.voided;
  if (!Number.isSafeInteger(row.net) || !Number.isSafeInteger(row.sales)) {
    throw new RangeError('Report amounts too large.');
  }
}

function empty(key: string, label: string, currency: string): Mutable {
  return { key, label, currency, count: 0, sales: 0, refunds: 0, voided: 0, net: 0 };
}

/** A running report: feed contributions page by page, read the rows at the end. */
export function reportBuilder() {
  const groups = new Map<string, Mutable>();
  const totals = new Map<string, Mutable>();
  return {
    add(contributions: Iterable<Contribution>): void {
      for (const c of contributions) {
        const id = `${c.dimension}\u0000${c.key}\u0000${c.currency}`;
        let row = groups.get(id);
        if (!row) groups.set(id, (row = empty(c.key, c.label, c.currency)));
        add(row, c);
        // Every fact contributes once to `day`: that is what the totals are summed from.
        if (c.dimension === 'day') {
          let total = totals.get(c.currency);
          if (!total) totals.set(c.currency, (total = empty(c.currency, 'Total', c.currency)));
          add(total, c);
        }
      }
    },
    build(): Report {
      const of = (dimension: Dimension) =>
        [...groups.entries()]
          .filter(([id]) => id.startsWith(`${dimension}\u0000`))
          .map(([, row]) => ({ ...row }))
          .sort((a, b) =>
            dimension === 'day'
              ? a.key.localeCompare(b.key)
              : b.net - a.net || a.label.localeCompare(b.label),
          );
      return {
        day: of('day'),
        store: of('store'),
        product: of('product'),
        staff: of('staff'),
        tender: of('tender'),
        totals: [...totals.values()].map((row) => ({ ...row })),
      };
    },
  };
}
