import { describe, expect, it } from 'vitest';
import { issueCode } from '../code/entitlement-code.ts';
import type { Product } from '../schemas/product.ts';
import { Sale } from '../schemas/sale.ts';
import { assembleSale, formatReceiptNumber, priceCart, totalOf } from './build-sale.ts';

const product = (id: string, price: number, active = true): Product => ({
  id,
  storeId: 'store-1',
  name: `Product ${id}`,
  description: '',
  kind: 'voucher',
  price,
  currency: 'EUR',
  active,
  template: null,
  barcode: null,
  taxClass: null,
  updatedAt: '2026-11-26T10:00:00.000Z',
});
const catalogue = new Map([
  ['a', product('a', 1999)],
  ['b', product('b', 500)],
  ['gone', product('gone', 100, false)],
]);
const key = new Uint8Array(32).fill(1);

async function codes(count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, serial) => issueCode({ prefix: 'T0T0', serial, key })),
  );
}

describe('building a sale', () => {
  it('prices lines in integer minor units', () => {
    const lines = priceCart(
      [
        { productId: 'a', quantity: 3 },
        { productId: 'b', quantity: 1 },
      ],
      catalogue,
    );
    expect(lines.map((line) => line.lineTotal)).toEqual([5997, 500]);
    expect(totalOf(lines)).toBe(6497);
  });

  it('refuses a product that is no longer sold', () => {
    expect(() => priceCart([{ productId: 'gone', quantity: 1 }], catalogue)).toThrow(
      /no longer sold/,
    );
    expect(() => priceCart([{ productId: 'missing', quantity: 1 }], catalogue)).toThrow(
      /no longer sold/,
    );
  });

  it('hands one code to each unit, in order, and passes the shared schema', async () => {
    const lines = priceCart(
      [
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 1 },
      ],
      catalogue,
    );
    const issued = await codes(3);
    const sale = assembleSale({
      id: '0f5a3c52-5b7e-4bd4-9d7e-3f8b2f1c9a10',
      storeId: 'store-1',
      terminalId: 'term-1',
      terminalPrefix: 'T0T0',
      staffId: null,
      shiftId: null,
      receiptNumber: formatReceiptNumber('T0T0', 7),
      createdAt: '2026-11-26T10:00:00.000Z',
      currency: 'EUR',
      lines,
      codes: issued,
      payments: [{ method: 'cash', amount: 4498, rounding: 0, tendered: 5000, change: 502 }],
    });
    expect(sale.lines[0]!.codes).toEqual(issued.slice(0, 2));
    expect(sale.lines[1]!.codes).toEqual(issued.slice(2));
    expect(sale.receiptNumber).toBe('T0T0-000007');
    expect(Sale.safeParse(sale).success).toBe(true);
  });

  it('carries a gift from the cart line into the sale line, and the schema accepts it', async () => {
    const gift = { recipientEmail: 'ana@example.com', sendOn: '2026-12-03', message: 'Enjoy!' };
    const lines = priceCart(
      [
        { productId: 'a', quantity: 2, gift },
        { productId: 'b', quantity: 1 },
      ],
      catalogue,
    );
    const sale = assembleSale({
      id: 'sale-gift',
      storeId: 'store-1',
      terminalId: 'term-1',
      terminalPrefix: 'T0T0',
      staffId: null,
      shiftId: null,
      receiptNumber: 'T0T0-000008',
      createdAt: '2026-11-26T10:00:00.000Z',
      currency: 'EUR',
      lines,
      codes: await codes(3),
      payments: [{ method: 'cash', amount: 4498, rounding: 0, tendered: 4498, change: 0 }],
    });
    expect(sale.lines[0]!.gift).toEqual(gift);
    expect(sale.lines[1]).not.toHaveProperty('gift');
    expect(Sale.safeParse(sale).success).toBe(true);
  });

  it('refuses a gift the schema would refuse on the server', async () => {
    const lines = priceCart(
      [{ productId: 'b', quantity: 1, gift: { recipientEmail: 'not-an-address' } }],
      catalogue,
    );
    await expect(async () =>
      assembleSale({
        id: 'sale-bad-gift',
        storeId: 'store-1',
        terminalId: 'term-1',
        terminalPrefix: 'T0T0',
        staffId: null,
        shiftId: null,
        receiptNumber: 'T0T0-000009',
        createdAt: '2026-11-26T10:00:00.000Z',
        currency: 'EUR',
        lines,
        codes: await codes(1),
        payments: [{ method: 'cash', amount: 500, rounding: 0, tendered: 500, change: 0 }],
      }),
    ).rejects.toThrow(/e-mail address/);
  });

  it('sells a gift card at face value: its discount is dropped, and the schema refuses one', async () => {
    const giftCards = new Map([['g', { ...product('g', 2500), kind: 'gift_card' as const }]]);
    const lines = priceCart(
      [{ productId: 'g', quantity: 1, discount: { kind: 'percent', milliPercent: 50_000 } }],
      giftCards,
      { kind: 'amount', amount: 500 },
    );
    expect(lines[0]).toMatchObject({ discountAmount: 0, total: 2500 });
    expect(lines[0]?.discount).toBeUndefined();
    const sale = assembleSale({
      id: '0f5a3c52-5b7e-4bd4-9d7e-3f8b2f1c9a11',
      storeId: 'store-1',
      terminalId: 'term-1',
      terminalPrefix: 'T0T0',
      staffId: null,
      shiftId: null,
      receiptNumber: formatReceiptNumber('T0T0', 8),
      createdAt: '2026-11-26T10:00:00.000Z',
      currency: 'EUR',
      lines,
      codes: await codes(1),
      payments: [{ method: 'cash', amount: 2500, rounding: 0, tendered: 2500, change: 0 }],
    });
    const discounted = {
      ...sale,
      lines: sale.lines.map((line) => ({
        ...line,
        discount: { kind: 'amount' as const, amount: 100 },
      })),
    };
    expect(JSON.stringify(Sale.safeParse(discounted).error?.issues)).toMatch(/sold at face value/);
  });

  it('refuses payments that do not add up', () => {
    const lines = priceCart([{ productId: 'b', quantity: 1 }], catalogue);
    expect(() =>
      assembleSale({
        id: 'sale-2',
        storeId: 'store-1',
        terminalId: 'term-1',
        terminalPrefix: 'T0T0',
        staffId: null,
        shiftId: null,
        receiptNumber: 'T0T0-000001',
        createdAt: '2026-11-26T10:00:00.000Z',
        currency: 'EUR',
        lines,
        codes: [],
        payments: [{ method: 'cash', amount: 400, rounding: 0, tendered: 500, change: 100 }],
      }),
    ).toThrow();
  });

  it('the schema catches arithmetic the counter must never get wrong', async () => {
    const [code] = await codes(1);
    const sale = {
      id: 'sale-3',
      storeId: 'store-1',
      terminalId: 'term-1',
      terminalPrefix: 'T0T0',
      staffId: null,
      shiftId: null,
      discountApprovedBy: null,
      receiptNumber: 'T0T0-000003',
      createdAt: '2026-11-26T10:00:00.000Z',
      currency: 'EUR',
      lines: [
        {
          lineId: 'l1',
          productId: 'b',
          name: 'B',
          kind: 'voucher',
          unitPrice: 500,
          quantity: 1,
          lineTotal: 499,
          discountAmount: 0,
          tax: null,
          total: 499,
          codes: [code],
        },
      ],
      subtotal: 499,
      discountTotal: 0,
      taxTotal: 0,
      total: 499,
      payments: [{ method: 'cash', amount: 499, rounding: 0, tendered: 500, change: 1 }],
    };
    const result = Sale.safeParse(sale);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/Line lineTotal should be 500/);
  });
});
