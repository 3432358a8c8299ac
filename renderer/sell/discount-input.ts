import { formatMoney, parseMoneyInput, type CurrencyCode } from '../../shared/money.ts';
import type { Discount } from '../../shared/pricing/discount.ts';
import { parsePercentInput } from '../../shared/pricing/percent.ts';

export type DiscountKind = Discount['kind'];

/**
 * What the cashier typed in the Discount… form, as a Discount, or the sentence that says what to
 * type instead. `base` (what the discount applies to) only words the error of an amount too large:
 * the pricing rule caps an amount at the line anyway, but a cashier typing 50 on a €5 line has
 * most likely made a mistake.
 */
export function parseDiscountInput(
  kind: DiscountKind,
  text: string,
  currency: CurrencyCode,
  base: number,
): { ok: true; discount: Discount } | { ok: false; error: string } {
  if (kind === 'percent') {
    const milliPercent = parsePercentInput(text);
    if (milliPercent === null || milliPercent === 0) {
      return {
        ok: false,
        error: 'Type a percentage from 0.001 to 100, such as 10 or 12.5.',
      };
    }
    return { ok: true, discount: { kind: 'percent', milliPercent } };
  }
  const amount = parseMoneyInput(text, currency);
  if (amount === null || amount === 0) {
    return {
      ok: false,
      error: `Type an amount such as ${formatMoney(500, currency).replace(/[^\d.,]/g, '')}, in ${currency}.`,
    };
  }
  if (amount > base) {
    return {
      ok: false,
      error: `That is more than the ${formatMoney(base, currency)} it comes off. Type at most ${formatMoney(base, currency)}, or 100 %.`,
    };
  }
  return { ok: true, discount: { kind: 'amount', amount } };
}

/** The text to show in the form for a discount already given. */
export function discountInputText(discount: Discount, currency: CurrencyCode): string {
  if (discount.kind === 'percent') {
    return (discount.milliPercent / 1000).toString();
  }
  return formatMoney(discount.amount, currency).replace(/[^\d.,]/g, '');
}
