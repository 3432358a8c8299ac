import { z } from 'zod';

/**
 * Percentages are whole thousandths of a percent, so rates such as New York's 8.875 % are
 * exact integers (8875) and no float ever touches a price. 100 % is 100 000.
 */
export const MILLI_PERCENT_SCALE = 100_000;

export const MilliPercent = z
  .number()
  .int('A percentage has at most three decimals, written as thousandths of a percent.')
  .min(0)
  .max(MILLI_PERCENT_SCALE);
export type MilliPercent = z.infer<typeof MilliPercent>;

/** "8.875%", "20%", "12.5%": what a cashier and a receipt read. */
export function formatPercent(milliPercent: MilliPercent): string {
  const whole = Math.trunc(milliPercent / 1000);
  const fraction = String(milliPercent % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${String(whole)}${fraction ? `.${fraction}` : ''}%`;
}

/** Parses what a cashier types ("10", "12.5", "8,875") into thousandths of a percent. */
export function parsePercentInput(text: string): MilliPercent | null {
  const match = /^\s*(\d{1,3})(?:[.,](\d{0,3}))?\s*%?\s*$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return value <= MILLI_PERCENT_SCALE ? value : null;
}

/**
 * `amount × numerator / denominator`, rounded half up (away from zero: every operand here is
 * non-negative). BigInt, because a large amount times 100 000 leaves the safe-integer range.
 */
export function mulDivRoundHalfUp(amount: number, numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('Denominator must be positive.');
  const product = BigInt(amount) * BigInt(numerator);
  const divisor = BigInt(denominator);
  const result = (product * 2n + divisor) / (divisor * 2n);
  return Number(result);
}

/**
 * Splits `total` over `weights` in proportion, in whole units, so the parts add up to exactly
 * `total` (largest remainder; ties go to the earlier entry). Used to spread a cart discount and
 * a class's tax over lines, so refunding a line returns exactly its share.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const big = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((weight) => (big * BigInt(weight)) / bigSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (big * BigInt(weight)) % bigSum,
  }));
  let left = total - parts.reduce((acc, part) => acc + Number(part), 0);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const result = parts.map(Number);
  for (const { index } of remainders) {
    if (left === 0) break;
    result[index] = (result[index] ?? 0) + 1;
    left -= 1;
  }
  return result;
}
