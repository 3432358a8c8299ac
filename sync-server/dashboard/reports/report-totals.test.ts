import { describe, expect, it } from 'vitest';
import { reportBuilder, type Contribution } from './report-totals.ts';

const c = (partial: Partial<Contribution>): Contribution => ({
  dimension: 'day',
  key: '2026-11-26',
  label: '26 Nov',
  currency: 'EUR',
  kind: 'sale',
  amount: 0,
  count: 1,
  ...partial,
});

describe('reportBuilder', () => {
  it('keeps refunds and voids apart from sales and nets them out', () => {
    const builder = reportBuilder();
    builder.add([
      c({ amount: 5000 }),
      c({ amount: 2500 }),
      c({ kind: 'refund', amount: 1000, count: 0 }),
      c({ kind: 'void', amount: 2500, count: 0 }),
      c({ key: '2026-11-25', label: '25 Nov', amount: 700 }),
    ]);
    const report = builder.build();
    expect(report.day).toEqual([
      {
        key: '2026-11-25',
        label: '25 Nov',
        currency: 'EUR',
        count: 1,
        sales: 700,
        refunds: 0,
        voided: 0,
        net: 700,
      },
      {
        key: '2026-11-26',
        label: '26 Nov',
        currency: 'EUR',
        count: 2,
        sales: 7500,
        refunds: 1000,
        voided: 2500,
        net: 4000,
      },
    ]);
    expect(report.totals).toEqual([
      {
        key: 'EUR',
        label: 'Total',
        currency: 'EUR',
        count: 3,
        sales: 8200,
        refunds: 1000,
        voided: 2500,
        net: 4700,
      },
    ]);
  });

  it('groups other dimensions by key and currency, largest net first, and never adds currencies', () => {
    const builder = reportBuilder();
    builder.add([
      c({ dimension: 'product', key: 'p1', label: 'Gift card', amount: 2500, count: 1 }),
      c({ dimension: 'product', key: 'p2', label: 'Spa', amount: 9000, count: 2 }),
      c({ dimension: 'product', key: 'p2', label: 'Spa', kind: 'refund', amount: 4500, count: 0 }),
      c({ dimension: 'product', key: 'p1', label: 'Gift card', currency: 'GBP', amount: 100 }),
      c({ amount: 100, currency: 'GBP' }),
      c({ amount: 11500 }),
    ]);
    const report = builder.build();
    expect(report.product.map((row) => [row.label, row.currency, row.net, row.count])).toEqual([
      ['Spa', 'EUR', 4500, 2],
      ['Gift card', 'EUR', 2500, 1],
      ['Gift card', 'GBP', 100, 1],
    ]);
    expect(report.totals.map((row) => [row.currency, row.sales])).toEqual([
      ['GBP', 100],
      ['EUR', 11500],
    ]);
  });
});
