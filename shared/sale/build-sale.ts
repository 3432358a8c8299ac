import type { CurrencyCode, MinorUnits } from '../money.ts';
import { multiplyMoney, sumMoney } from '../money.ts';
import type { Product } from '../schemas/product.ts';
import type { Gift, Payment, Sale, SaleLine } from '../schemas/sale.ts';
import { Sale as SaleSchema } from '../schemas/sale.ts';

export type CartLine = {
  readonly productId: string;
  readonly quantity: number;
  /** Every unit of the line goes to this recipient; the server e-mails the codes. */
  readonly gift?: Gift | undefined;
};

export type PricedLine = Omit<SaleLine, 'codes' | 'lineId'>;

/** Prices cart lines from the catalogue. Throws a cashier-readable error for a product that is gone. */
export function priceCart(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, Product>,
): PricedLine[] {
  return lines.map((line) => {
    const product = products.get(line.productId);
    if (!product?.active) {
      throw new Error('An item in the cart is no longer sold. Remove it and add it again.');
    }
    return {
      productId: product.id,
      name: product.name,
      kind: product.kind,
      unitPrice: product.price,
      quantity: line.quantity,
      lineTotal: multiplyMoney(product.price, line.quantity),
      ...(line.gift ? { gift: line.gift } : {}),
    };
  });
}

export function totalOf(lines: readonly Pick<PricedLine, 'lineTotal'>[]): MinorUnits {
  return sumMoney(lines.map((line) => line.lineTotal));
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
  readonly codes: readonly string[];
  readonly payments: readonly Payment[];
  /** Optional: the server e-mails the codes there once the sale has synced. */
  readonly buyerEmail?: string;
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
    total: totalOf(lines),
    payments: input.payments,
    ...(input.buyerEmail ? { buyerEmail: input.buyerEmail } : {}),
  });
}

export function formatReceiptNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(6, '0')}`;
}
