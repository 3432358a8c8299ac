import { z } from 'zod';
import { formatMoney, MinorUnits, type CurrencyCode } from '../money.ts';
import { formatPercent, MILLI_PERCENT_SCALE, MilliPercent, mulDivRoundHalfUp } from './percent.ts';

/** A discount the cashier gives on a line or on the whole cart: a percentage or an amount off. */
export const Discount = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), milliPercent: MilliPercent.min(1) }),
  z.strictObject({ kind: z.literal('amount'), amount: MinorUnits.min(1) }),
]);
export type Discount = z.infer<typeof Discount>;

/**
 * Gift cards are sold at face value: a discounted €25 card would still spend €25, so the shop
 * would sell money below its value (Square and Shopify refuse it too). Every other kind may be
 * discounted; the Sale schema holds the counter and the server to this.
 */
export function isDiscountable(kind: string): boolean {
  return kind !== 'gift_card';
}

/**
 * What the discount takes off `base`: a percentage rounded half up to the minor unit, an amount
 * capped at the base, so nothing is ever sold below zero.
 */
export function discountAmountOf(discount: Discount | undefined, base: MinorUnits): MinorUnits {
  if (!discount) return 0;
  if (discount.kind === 'amount') return Math.min(discount.amount, base);
  return mulDivRoundHalfUp(base, discount.milliPercent, MILLI_PERCENT_SCALE);
}

export function describeDiscount(discount: Discount, currency: CurrencyCode): string {
  return discount.kind === 'percent'
    ? `${formatPercent(discount.milliPercent)} off`
    : `${formatMoney(discount.amount, currency)} off`;
}
