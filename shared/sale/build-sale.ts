import type { CurrencyCode, MinorUnits } from '../money.ts';
import { sumMoney } from '../money.ts';
import { isDiscountable, type Discount } from '../pricing/discount.ts';
import { priceSale } from '../pricing/price-sale.ts';
import type { Product } from '../schemas/product.ts';
import type { Gift, Payment, Sale, SaleLine } from '../schemas/sale.ts';
import { Sale as SaleSchema } from '../schemas/sale.ts';

export type CartLine = {
  readonly productId: string;
  readonly quantity: number;
  /** Every unit of the line goes to this recipient; the server e-mails the codes. */
  readonly gift?: Gift | undefined;
  /** A discount the cashier gave on this line. */
  readonly discount?: Discount | undefined;
};

export type PricedLine = Omit<SaleLine, 'codes' | 'lineId'>;

/**
 * Prices cart lines from the catalogue with the shared pricing rule (discounts, then tax).
 * Throws a cashier-readable error for a product that is gone.
 */
export function priceCart(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, Product>,
  cartDiscount?: Discount,
): PricedLine[] {
  const sold = lines.map((line) => {
    const product = products.get(line.productId);
    if (!product?.active) {
      throw new Error('An item in the cart is no longer sold. Remove it and add it again.');
    }
    return { line, product };
  });
  const priced = priceSale(
    sold.map(({ line, product }) => ({
      unitPrice: product.price,
      quantity: line.quantity,
      discount: line.discount,
      taxClass: product.taxClass,
      discountable: isDiscountable(product.kind),
    })),
    cartDiscount,
  );
  return sold.map(({ line, product }, index) => {
    const amounts = priced.lines[index];
    if (!amounts) throw new Error('Pricing lost a line.');
    return {
      productId: product.id,
      name: product.name,
      kind: product.kind,
      unitPrice: product.price,
      quantity: line.quantity,
      ...amounts,
      ...(line.discount && isDiscountable(product.kind) ? { discount: line.discount } : {}),
      ...(line.gift ? { gift: line.gift } : {}),
    };
  });
}

/** What the customer pays for priced lines. */
export function totalOf(lines: readonly Pick<PricedLine, 'total'>[]): MinorUnits {
  return sumMoney(lines.map((line) => line.total));
}

export function unitsOf(lines: readonly Pick<CartLine, 'quantity'>[]): number {
  return lines.reduce((units, line) => units + line.quantity, 0);
}

/**
 * Assembles the one document a sale is (DESIGN invariant 1): lines, payments and the codes,
 * handed out in order, one per unit. Validates with the same schema the server applies.
 */
export function assembleSale(input: {
  readonly id: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly terminalPrefix: string;
  readonly receiptNumber: string;
  readonly createdAt: string;
  readonly currency: CurrencyCode;
  readonly lines: readonly PricedLine[];
  readonly cartDiscount?: Discount | undefined;
  readonly codes: readonly string[];
  readonly payments: readonly Payment[];
  /** Optional: the server e-mails the codes there once the sale has synced. */
  readonly buyerEmail?: string;
  /** Who sells, in which shift, and the manager who approved a large discount (v4). */
  readonly staffId: string | null;
  readonly shiftId: string | null;
  readonly discountApprovedBy?: string | null;
}): Sale {
  let next = 0;
  const lines = input.lines.map((line, index) => {
    const codes = input.codes.slice(next, next + line.quantity);
    next += line.quantity;
    return { ...line, lineId: `${input.id.slice(0, 8)}-${index + 1}`, codes };
  });
  if (next !== input.codes.length) throw new Error('Issued codes do not match the units sold.');
  return SaleSchema.parse({
    id: input.id,
    storeId: input.storeId,
    terminalId: input.terminalId,
    terminalPrefix: input.terminalPrefix,
    receiptNumber: input.receiptNumber,
    createdAt: input.createdAt,
    currency: input.currency,
    lines,
    ...(input.cartDiscount ? { cartDiscount: input.cartDiscount } : {}),
    subtotal: sumMoney(lines.map((line) => line.lineTotal)),
    discountTotal: sumMoney(lines.map((line) => line.discountAmount)),
    taxTotal: sumMoney(lines.map((line) => line.tax?.amount ?? 0)),
    total: totalOf(lines),
    payments: input.payments,
    ...(input.buyerEmail ? { buyerEmail: input.buyerEmail } : {}),
    staffId: input.staffId,
    shiftId: input.shiftId,
    discountApprovedBy: input.discountApprovedBy ?? null,
  });
}

export function formatReceiptNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(6, '0')}`;
}
