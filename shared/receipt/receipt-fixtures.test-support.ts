import { isDiscountable, type Discount } from '../pricing/discount.ts';
import { priceSale } from '../pricing/price-sale.ts';
import type { TaxClass } from '../pricing/tax.ts';
import type { Payment, Sale, SaleLine } from '../schemas/sale.ts';
import { ProductTemplate } from '../templates/product-template.ts';

export const VAT_20: TaxClass = {
  id: 'tax-std',
  name: 'VAT',
  milliPercent: 20_000,
  inclusive: true,
};

type LineSeed = Pick<SaleLine, 'lineId' | 'productId' | 'name' | 'kind' | 'unitPrice' | 'codes'> & {
  discount?: Discount;
  tax: TaxClass | null;
  gift?: SaleLine['gift'];
};

/** A sale whose figures come from the shared pricing rule, as the counter writes them. */
export function pricedSale(
  seeds: readonly LineSeed[],
  options: { cartDiscount?: Discount; payments?: (total: number) => Payment[] } = {},
): Sale {
  const priced = priceSale(
    seeds.map((seed) => ({
      unitPrice: seed.unitPrice,
      quantity: seed.codes.length,
      discount: seed.discount,
      taxClass: seed.tax,
      discountable: isDiscountable(seed.kind),
    })),
    options.cartDiscount,
  );
  const lines: SaleLine[] = seeds.map((seed, index) => {
    const amounts = priced.lines[index];
    if (!amounts) throw new Error('priceSale returned fewer lines.');
    const { tax: _tax, ...rest } = seed;
    return { ...rest, quantity: seed.codes.length, ...amounts };
  });
  return {
    id: 'sale-1',
    storeId: 'store-1',
    terminalId: 'term-1',
    terminalPrefix: 'AB12',
    staffId: null,
    shiftId: null,
    discountApprovedBy: null,
    receiptNumber: 'AB12-000042',
    createdAt: '2026-11-26T10:00:00.000Z',
    currency: 'EUR',
    lines,
    ...(options.cartDiscount ? { cartDiscount: options.cartDiscount } : {}),
    subtotal: priced.subtotal,
    discountTotal: priced.discountTotal,
    taxTotal: priced.taxTotal,
    total: priced.total,
    payments: options.payments?.(priced.total) ?? [
      { method: 'cash', amount: priced.total, rounding: 0, tendered: priced.total, change: 0 },
    ],
  };
}

export const CODE_A = 'AB12000001AAAAAAAAAAAAAA';
export const CODE_B = 'AB12000002BBBBBBBBBBBBBB';
export const CODE_C = 'AB12000003CCCCCCCCCCCCCC';

export const TICKET_TEMPLATE = ProductTemplate.parse({
  kind: 'ticket',
  eventName: 'Winter Gala',
  eventDate: '2026-12-19T19:00:00.000Z',
  validity: null,
  fulfilment: { action: 'none' },
});

/** Two vouchers with 10% off the line and a ticket, €5 off the cart, VAT 20% inclusive. */
export function sampleSale(payments?: (total: number) => Payment[]): Sale {
  return pricedSale(
    [
      {
        lineId: 'line-1',
        productId: 'prod-spa',
        name: 'Spa voucher',
        kind: 'voucher',
        unitPrice: 4950,
        codes: [CODE_A, CODE_B],
        discount: { kind: 'percent', milliPercent: 10_000 },
        tax: VAT_20,
      },
      {
        lineId: 'line-2',
        productId: 'prod-gala',
        name: 'Gala ticket',
        kind: 'ticket',
        unitPrice: 3000,
        codes: [CODE_C],
        tax: VAT_20,
      },
    ],
    { cartDiscount: { kind: 'amount', amount: 500 }, ...(payments ? { payments } : {}) },
  );
}
