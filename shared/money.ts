import { z } from 'zod';

/**
 * Money is always an integer count of the currency's minor unit (cents, pence, yen) plus an
 * ISO 4217 code. Floats never hold money: 0.1 + 0.2 is not 0.3, and a till must balance.
 */
export const MinorUnits = z
  .number()
  .int('Amounts are whole minor units (cents), never fractions.')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);
export type MinorUnits = z.infer<typeof MinorUnits>;

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'A currency is a three-letter ISO 4217 code such as EUR.');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/**
 * Formatters made once per currency and locale: making an Intl.NumberFormat costs far more than
 * formatting with one, and a product grid formats a price per tile on every keystroke (issue #7).
 */
const digitsByCurrency = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

/** How many decimal places the currency's minor unit has (EUR 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: CurrencyCode): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function formatMoney(amount: MinorUnits, currency: CurrencyCode, locale = 'en-GB'): string {
  const digits = minorUnitDigits(currency);
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  // Division happens only here, for display; the value is never stored or summed again.
  return formatter.format(amount / 10 ** digits);
}

/** Exact product of a price and a quantity; refuses results a float could not hold exactly. */
export function multiplyMoney(unit: MinorUnits, quantity: number): MinorUnits {
  if (!Number.isInteger(quantity) || quantity < 0)
    throw new RangeError('Quantity must be a whole number.');
  const result = unit * quantity;
  if (!Number.isSafeInteger(result)) throw new RangeError('Amount too large.');
  return result;
}

export function sumMoney(amounts: readonly MinorUnits[]): MinorUnits {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
    if (!Number.isSafeInteger(total)) throw new RangeError('Amount too large.');
  }
  return total;
}

/**
 * Whether `amounts` add up to `total`: false, never a throw, when the sum is too large. For
 * schema refinements, which zod runs even on amounts that failed their own checks (a pushed
 * refund of 6.9e112 cents threw from sumMoney and answered 500; found by fuzzing).
 */
export function addsUpTo(amounts: readonly number[], total: number): boolean {
  try {
    return sumMoney(amounts) === total;
  } catch {
    return false;
  }
}

/**
 * Parses what a cashier types ("12", "12.5", "12,50") into minor units without floating point.
 * Returns null for anything that is not a plain non-negative amount in this currency.
 */
export function parseMoneyInput(text: string, currency: CurrencyCode): MinorUnits | null {
  const digits = minorUnitDigits(currency);
  const match = /^\s*(\d{1,13})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}
