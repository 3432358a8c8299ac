import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueCode } from '../code/entitlement-code.ts';
import { Sale } from '../schemas/sale.ts';
import { cashRoundingIncrement, roundCashDue } from './cash-rounding.ts';
import type { Discount } from './discount.ts';
import { MILLI_PERCENT_SCALE } from './percent.ts';
import { priceSale, type PricingLine } from './price-sale.ts';
import { taxGroupKey, taxOfClassTotal, type TaxClass } from './tax.ts';

// Seeded, so a failure prints a seed and path that replay exactly (STYLE.md 8).
const seed = 20261127;
const runs = { seed, numRuns: 400 };

const taxClass: fc.Arbitrary<TaxClass | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom<TaxClass>(
    { id: 'vat-std', name: 'VAT', milliPercent: 20_000, inclusive: true },
    { id: 'vat-red', name: 'VAT', milliPercent: 5_500, inclusive: true },
    { id: 'ny', name: 'Sales tax', milliPercent: 8_875, inclusive: false },
    { id: 'zero', name: 'Exempt', milliPercent: 0, inclusive: false },
  ),
  fc.record({
    id: fc.constant('odd'),
    name: fc.constant('Odd'),
    milliPercent: fc.integer({ min: 0, max: MILLI_PERCENT_SCALE }),
    inclusive: fc.boolean(),
  }),
);
const discount: fc.Arbitrary<Discount | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({
    kind: fc.constant('percent' as const),
    milliPercent: fc.integer({ min: 1, max: MILLI_PERCENT_SCALE }),
  }),
  fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 1, max: 200_000 }) }),
);
const pricingLine: fc.Arbitrary<PricingLine> = fc.record({
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1_000_000 })),
  quantity: fc.integer({ min: 1, max: 20 }),
  discount,
  taxClass,
});
const cart = fc.record({
  lines: fc.array(pricingLine, { minLength: 1, maxLength: 12 }),
  cartDiscount: discount,
});

/** Every line's net (after discounts, before exclusive tax), grouped by tax class. */
function classSums(lines: readonly PricingLine[], priced: ReturnType<typeof priceSale>) {
  const sums = new Map<string, { taxClass: TaxClass; net: number; tax: number }>();
  lines.forEach((line, index) => {
    const result = priced.lines[index];
    if (!line.taxClass || !result) return;
    const key = taxGroupKey(line.taxClass);
    const net = result.lineTotal - result.discountAmount;
    const entry = sums.get(key) ?? { taxClass: line.taxClass, net: 0, tax: 0 };
    sums.set(key, { ...entry, net: entry.net + net, tax: entry.tax + (result.tax?.amount ?? 0) });
  });
  return [...sums.values()];
}

describe('priceSale properties', () => {
  it('line totals always add up to the sale total, and the sale figures to each other', () => {
    fc.assert(
      fc.property(cart, ({ lines, cartDiscount }) => {
        const sale = priceSale(lines, cartDiscount);
        const sum = (pick: (line: (typeof sale.lines)[number]) => number) =>
          sale.lines.reduce((acc, line) => acc + pick(line), 0);
        expect(sum((line) => line.total)).toBe(sale.total);
        expect(sum((line) => line.lineTotal)).toBe(sale.subtotal);
        expect(sum((line) => line.discountAmount)).toBe(sale.discountTotal);
        expect(sum((line) => line.tax?.amount ?? 0)).toBe(sale.taxTotal);
      }),
      runs,
    );
  });

  it('discounts never make a line negative', () => {
    fc.assert(
      fc.property(cart, ({ lines, cartDiscount }) => {
        for (const line of priceSale(lines, cartDiscount).lines) {
          expect(line.discountAmount).toBeGreaterThanOrEqual(0);
          expect(line.discountAmount).toBeLessThanOrEqual(line.lineTotal);
          expect(line.total).toBeGreaterThanOrEqual(0);
        }
      }),
      runs,
    );
  });

  it('the tax spread over lines adds up to the tax of each class sum', () => {
    fc.assert(
      fc.property(cart, ({ lines, cartDiscount }) => {
        for (const entry of classSums(lines, priceSale(lines, cartDiscount))) {
          expect(entry.tax).toBe(taxOfClassTotal(entry.net, entry.taxClass));
        }
      }),
      runs,
    );
  });

  it('per-class tax is within half a minor unit of the exact rational value', () => {
    fc.assert(
      fc.property(cart, ({ lines, cartDiscount }) => {
        for (const entry of classSums(lines, priceSale(lines, cartDiscount))) {
          const rate = BigInt(entry.taxClass.milliPercent);
          const denominator = BigInt(MILLI_PERCENT_SCALE) + (entry.taxClass.inclusive ? rate : 0n);
          // |tax − net·rate/denominator| ≤ 1/2  ⇔  |2·tax·denominator − 2·net·rate| ≤ denominator
          const error = 2n * BigInt(entry.tax) * denominator - 2n * BigInt(entry.net) * rate;
          expect(error <= denominator && -error <= denominator).toBe(true);
        }
      }),
      runs,
    );
  });

  it('inclusive tax never exceeds the gross it is part of', () => {
    fc.assert(
      fc.property(cart, ({ lines, cartDiscount }) => {
        const sale = priceSale(lines, cartDiscount);
        sale.lines.forEach((line) => {
          if (line.tax?.inclusive) expect(line.tax.amount).toBeLessThanOrEqual(line.total);
        });
      }),
      runs,
    );
  });

  it('cash rounding lands on the increment and moves at most half of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('EUR', 'CHF', 'SEK', 'NZD', 'DKK', 'HUF', 'JPY'),
        (due, currency) => {
          const increment = cashRoundingIncrement(currency);
          const { payable, rounding } = roundCashDue(due, increment);
          expect(payable % increment).toBe(0);
          expect(payable - due).toBe(rounding);
          expect(Math.abs(rounding) * 2).toBeLessThanOrEqual(increment);
        },
      ),
      runs,
    );
  });
});

describe('the Sale schema and priceSale agree', () => {
  const key = new Uint8Array(32).fill(7);

  async function saleOf(lines: readonly PricingLine[], cartDiscount: Discount | undefined) {
    const priced = priceSale(lines, cartDiscount);
    const codes = await Promise.all(
      lines.map((line, serial) =>
        Promise.all(
          Array.from({ length: line.quantity }, (_, unit) =>
            issueCode({ prefix: 'T0T0', serial: serial * 100 + unit, key }),
          ),
        ),
      ),
    );
    return {
      id: 'sale-1',
      storeId: 'store-1',
      terminalId: 'term-1',
      terminalPrefix: 'T0T0',
      receiptNumber: 'T0T0-000001',
      createdAt: '2026-11-27T10:00:00.000Z',
      currency: 'EUR',
      lines: lines.map((line, index) => ({
        lineId: `line-${String(index)}`,
        productId: 'p',
        name: 'Thing',
        kind: 'voucher' as const,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
        ...(line.discount ? { discount: line.discount } : {}),
        ...priced.lines[index]!,
        codes: codes[index]!,
      })),
      ...(cartDiscount ? { cartDiscount } : {}),
      subtotal: priced.subtotal,
      discountTotal: priced.discountTotal,
      taxTotal: priced.taxTotal,
      total: priced.total,
      payments: [
        {
          method: 'cash' as const,
          amount: priced.total,
          rounding: 0,
          tendered: priced.total,
          change: 0,
        },
      ],
      staffId: null,
      shiftId: null,
      discountApprovedBy: null,
    };
  }

  const figure = fc.constantFrom(
    'subtotal',
    'discountTotal',
    'taxTotal',
    'total',
    'lineTotal',
    'discountAmount',
    'lineTax',
    'lineTotalDue',
  );

  it('accepts what priceSale produces and rejects any single figure changed by ±1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lines: fc
            .array(pricingLine, { minLength: 1, maxLength: 4 })
            .map((lines) =>
              lines.map((line) => ({ ...line, quantity: Math.min(line.quantity, 3) })),
            ),
          cartDiscount: discount,
        }),
        figure,
        fc.constantFrom(1, -1),
        fc.nat(),
        async ({ lines, cartDiscount }, which, delta, pick) => {
          const sale = await saleOf(lines, cartDiscount);
          expect(Sale.safeParse(sale).success).toBe(true);
          const changed = structuredClone(sale);
          const target = changed.lines[pick % changed.lines.length]!;
          if (which === 'lineTotal') target.lineTotal += delta;
          else if (which === 'discountAmount') target.discountAmount += delta;
          else if (which === 'lineTotalDue') target.total += delta;
          else if (which === 'lineTax') {
            if (!target.tax) return;
            target.tax.amount += delta;
          } else changed[which] += delta;
          expect(Sale.safeParse(changed).success).toBe(false);
        },
      ),
      { seed, numRuns: 150 },
    );
  });
});
