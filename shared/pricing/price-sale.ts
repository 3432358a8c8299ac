import { multiplyMoney, sumMoney, type MinorUnits } from '../money.ts';
import { discountAmountOf, type Discount } from './discount.ts';
import { allocateProportionally } from './percent.ts';
import { taxGroupKey, taxOfClassTotal, type LineTax, type TaxClass } from './tax.ts';

export type PricingLine = {
  readonly unitPrice: MinorUnits;
  readonly quantity: number;
  readonly discount?: Discount | undefined;
  readonly taxClass: TaxClass | null;
  /**
   * False for what is sold at face value (gift cards, see `isDiscountable`): no line discount,
   * no share of the cart discount. Default true.
   */
  readonly discountable?: boolean | undefined;
};

export type PricedAmounts = {
  /** unit price × quantity, before any discount. */
  readonly lineTotal: MinorUnits;
  /** The line's own discount plus its share of the cart discount. */
  readonly discountAmount: MinorUnits;
  readonly tax: LineTax | null;
  /** What the customer pays for the line: after discounts, with exclusive tax added. */
  readonly total: MinorUnits;
};

export type PricedSale = {
  readonly lines: PricedAmounts[];
  readonly subtotal: MinorUnits;
  readonly discountTotal: MinorUnits;
  readonly taxTotal: MinorUnits;
  readonly total: MinorUnits;
};

/**
 * The one pricing rule, run by the counter to sell and by the server to check what it receives
 * (STYLE.md 2). In order:
 * 1. line discount on unit price × quantity (a percentage rounds half up; an amount is capped);
 * 2. the cart discount on what is left, spread over the lines in proportion (largest remainder);
 *    lines sold at face value (gift cards) take no discount of either kind;
 * 3. tax per class on the sum of that class's discounted lines, rounded once, half up, then
 *    spread back over its lines in proportion, so every line knows its exact share;
 * 4. a line's total is its discounted amount, plus its tax when the class is exclusive.
 * The parts always add up: refunding every line returns exactly the sale total.
 */
export function priceSale(lines: readonly PricingLine[], cartDiscount?: Discount): PricedSale {
  const gross = lines.map((line) => multiplyMoney(line.unitPrice, line.quantity));
  const discountable = lines.map((line) => line.discountable !== false);
  const lineDiscounts = lines.map((line, index) =>
    discountable[index] ? discountAmountOf(line.discount, gross[index] ?? 0) : 0,
  );
  const afterLine = gross.map((amount, index) => amount - (lineDiscounts[index] ?? 0));
  const cartBase = afterLine.map((amount, index) => (discountable[index] ? amount : 0));
  const cartDiscountAmount = discountAmountOf(cartDiscount, sumMoney(cartBase));
  const cartShares = allocateProportionally(cartDiscountAmount, cartBase);
  const net = afterLine.map((amount, index) => amount - (cartShares[index] ?? 0));

  const taxes = new Array<number>(lines.length).fill(0);
  const groups = new Map<string, number[]>();
  lines.forEach((line, index) => {
    if (!line.taxClass) return;
    const key = taxGroupKey(line.taxClass);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  for (const indexes of groups.values()) {
    const taxClass = lines[indexes[0] ?? 0]?.taxClass;
    if (!taxClass) continue;
    const weights = indexes.map((index) => net[index] ?? 0);
    const classTax = taxOfClassTotal(sumMoney(weights), taxClass);
    allocateProportionally(classTax, weights).forEach((share, position) => {
      taxes[indexes[position] ?? 0] = share;
    });
  }

  const priced = lines.map((line, index): PricedAmounts => {
    const tax = taxes[index] ?? 0;
    const lineNet = net[index] ?? 0;
    return {
      lineTotal: gross[index] ?? 0,
      discountAmount: (lineDiscounts[index] ?? 0) + (cartShares[index] ?? 0),
      tax: line.taxClass ? { ...line.taxClass, amount: tax } : null,
      total: line.taxClass && !line.taxClass.inclusive ? lineNet + tax : lineNet,
    };
  });
  return {
    lines: priced,
    subtotal: sumMoney(gross),
    discountTotal: sumMoney(priced.map((line) => line.discountAmount)),
    taxTotal: sumMoney(taxes),
    total: sumMoney(priced.map((line) => line.total)),
  };
}
