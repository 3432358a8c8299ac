import { describe, expect, it } from 'vitest';
import { priceSale, type PricingLine } from './price-sale.ts';
import type { TaxClass } from './tax.ts';

const VAT20: TaxClass = { id: 'vat-std', name: 'VAT', milliPercent: 20_000, inclusive: true };
const VAT7: TaxClass = { id: 'vat-red', name: 'VAT', milliPercent: 7_000, inclusive: true };
const NYC: TaxClass = { id: 'ny', name: 'Sales tax', milliPercent: 8_875, inclusive: false };

const line = (unitPrice: number, extra: Partial<PricingLine> = {}): PricingLine => ({
  unitPrice,
  quantity: 1,
  taxClass: null,
  ...extra,
});

describe('priceSale refuses what no till could hold', () => {
  it('throws on an amount a float cannot count exactly', () => {
    expect(() => priceSale([line(Number.MAX_SAFE_INTEGER, { quantity: 2 })])).toThrow(/too large/);
  });

  it('throws on a fractional quantity', () => {
    expect(() => priceSale([line(100, { quantity: 1.5 })])).toThrow(/whole number/);
  });
});

describe('priceSale on awkward amounts', () => {
  it('a 1 cent line with 50 % off rounds the discount half up to 1 cent', () => {
    const sale = priceSale([line(1, { discount: { kind: 'percent', milliPercent: 50_000 } })]);
    expect(sale.lines[0]).toMatchObject({ lineTotal: 1, discountAmount: 1, total: 0 });
    expect(sale.total).toBe(0);
  });

  it('three 1 cent lines with a 1 cent cart discount: the first line carries it', () => {
    const sale = priceSale([line(1), line(1), line(1)], { kind: 'amount', amount: 1 });
    expect(sale.lines.map((priced) => priced.discountAmount)).toEqual([1, 0, 0]);
    expect(sale.total).toBe(2);
  });

  it('adds New York 8.875 % on the class sum, rounded once, half up', () => {
    // 3 × $0.99 = $2.97; 2.97 × 8.875 % = 26.358… cents → 26; per line 0.99 × 8.875 % = 8.786 → 9,
    // so line-by-line rounding would have charged 27.
    const sale = priceSale([
      line(99, { taxClass: NYC }),
      line(99, { taxClass: NYC }),
      line(99, { taxClass: NYC }),
    ]);
    expect(sale.taxTotal).toBe(26);
    expect(sale.lines.map((priced) => priced.tax?.amount)).toEqual([9, 9, 8]);
    expect(sale.total).toBe(297 + 26);
  });

  it('inclusive 20 % on €0.01 is no tax at all, and the price stays €0.01', () => {
    const sale = priceSale([line(1, { taxClass: VAT20 })]);
    expect(sale.taxTotal).toBe(0);
    expect(sale.total).toBe(1);
  });

  it('inclusive 20 % on €0.03 is half a cent, rounded up to 1 cent', () => {
    expect(priceSale([line(3, { taxClass: VAT20 })]).taxTotal).toBe(1);
  });

  it('inclusive 20 % on €20.00 is €3.33 and the total is still €20.00', () => {
    const sale = priceSale([line(2000, { taxClass: VAT20 })]);
    expect(sale.taxTotal).toBe(333);
    expect(sale.total).toBe(2000);
  });

  it('a 100 % line discount makes the line free and its tax zero', () => {
    const sale = priceSale([
      line(1250, { taxClass: NYC, discount: { kind: 'percent', milliPercent: 100_000 } }),
      line(1000, { taxClass: NYC }),
    ]);
    expect(sale.lines[0]).toMatchObject({ discountAmount: 1250, total: 0 });
    expect(sale.lines[0]?.tax?.amount).toBe(0);
    expect(sale.total).toBe(1000 + 89);
  });

  it('a 100 % cart discount makes everything free', () => {
    const sale = priceSale([line(999, { taxClass: VAT20 }), line(1, { taxClass: NYC })], {
      kind: 'percent',
      milliPercent: 100_000,
    });
    expect(sale.total).toBe(0);
    expect(sale.taxTotal).toBe(0);
    expect(sale.discountTotal).toBe(1000);
  });

  it('an amount discount larger than the line is capped at the line', () => {
    const sale = priceSale([
      line(500, { quantity: 2, discount: { kind: 'amount', amount: 5000 } }),
    ]);
    expect(sale.lines[0]).toMatchObject({ lineTotal: 1000, discountAmount: 1000, total: 0 });
  });

  it('a cart discount over lines of 0 gives them no share and takes nothing', () => {
    const zero = priceSale([line(0), line(0)], { kind: 'amount', amount: 500 });
    expect(zero.lines.map((priced) => priced.discountAmount)).toEqual([0, 0]);
    expect(zero.total).toBe(0);
    const mixed = priceSale([line(0), line(300), line(0)], { kind: 'amount', amount: 500 });
    expect(mixed.lines.map((priced) => priced.discountAmount)).toEqual([0, 300, 0]);
    expect(mixed.discountTotal).toBe(300);
  });

  it('spreads a cart discount by largest remainder after the line discounts', () => {
    const sale = priceSale(
      [line(1000, { discount: { kind: 'amount', amount: 400 } }), line(300), line(100)],
      { kind: 'amount', amount: 100 },
    );
    // After line discounts: 600, 300, 100 of 1000 → shares 60, 30, 10.
    expect(sale.lines.map((priced) => priced.discountAmount)).toEqual([460, 30, 10]);
    expect(sale.total).toBe(900);
  });

  it('keeps two rates of one name apart, each rounded on its own sum', () => {
    const sale = priceSale([line(107, { taxClass: VAT7 }), line(120, { taxClass: VAT20 })]);
    expect(sale.lines.map((priced) => priced.tax?.amount)).toEqual([7, 20]);
    expect(sale.total).toBe(227);
  });

  it('JPY (no decimals): ¥1 000 with 10 % exclusive is ¥1 100; 8 % inclusive on ¥108 is ¥8', () => {
    const jct: TaxClass = { id: 'jct', name: 'JCT', milliPercent: 10_000, inclusive: false };
    expect(priceSale([line(1000, { taxClass: jct })]).total).toBe(1100);
    const reduced: TaxClass = { id: 'jct8', name: 'JCT', milliPercent: 8_000, inclusive: true };
    expect(priceSale([line(108, { taxClass: reduced })]).taxTotal).toBe(8);
  });

  it('KWD (three decimals): 0.333 KD × 3 at 15 % off keeps fils exact', () => {
    const sale = priceSale([line(333, { quantity: 3 })], { kind: 'percent', milliPercent: 15_000 });
    // 999 fils × 15 % = 149.85 → 150 fils.
    expect(sale.discountTotal).toBe(150);
    expect(sale.total).toBe(849);
  });
});

describe('priceSale on lines sold at face value (gift cards)', () => {
  it('gives them no line discount and no share of the cart discount', () => {
    const sale = priceSale(
      [
        line(2500, { discountable: false, discount: { kind: 'percent', milliPercent: 50_000 } }),
        line(1000),
      ],
      { kind: 'percent', milliPercent: 10_000 },
    );
    expect(sale.lines.map((priced) => [priced.discountAmount, priced.total])).toEqual([
      [0, 2500],
      [100, 900],
    ]);
  });

  it('takes a cart amount discount only off the other lines, capped at them', () => {
    const sale = priceSale([line(2500, { discountable: false }), line(300)], {
      kind: 'amount',
      amount: 1000,
    });
    expect(sale.total).toBe(2500);
    expect(sale.discountTotal).toBe(300);
  });
});
