import type { CurrencyCode, MinorUnits } from '../money.ts';
import { minorUnitDigits } from '../money.ts';

/** Banknotes in major units, for the quick-tender buttons. Other currencies fall back to powers of ten. */
const NOTES: Partial<Record<CurrencyCode, readonly number[]>> = {
  EUR: [5, 10, 20, 50, 100, 200, 500],
  USD: [1, 5, 10, 20, 50, 100],
  GBP: [5, 10, 20, 50],
  CHF: [10, 20, 50, 100, 200, 1000],
};

/**
 * What a customer is likely to hand over: the exact amount, then the next few round amounts
 * made of one note or more. Used for one-tap cash tender buttons.
 */
export function suggestCashTenders(
  due: MinorUnits,
  currency: CurrencyCode,
  count = 3,
): MinorUnits[] {
  const unit = 10 ** minorUnitDigits(currency);
  const notes = (NOTES[currency] ?? [1, 10, 100, 1000]).map((note) => note * unit);
  const suggestions = new Set<MinorUnits>([due]);
  for (const note of notes) {
    const rounded = Math.ceil(due / note) * note;
    if (rounded > due) suggestions.add(rounded);
    if (suggestions.size > count) break;
  }
  return [...suggestions].sort((a, b) => a - b).slice(0, count + 1);
}

export type CashTender =
  | { readonly ok: true; readonly tendered: MinorUnits; readonly change: MinorUnits }
  | { readonly ok: false; readonly short: MinorUnits };

export function tenderCash(due: MinorUnits, tendered: MinorUnits): CashTender {
  if (tendered < due) return { ok: false, short: due - tendered };
  return { ok: true, tendered, change: tendered - due };
}
