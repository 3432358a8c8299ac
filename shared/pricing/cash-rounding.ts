import type { CurrencyCode, MinorUnits } from '../money.ts';

/**
 * Where the smallest coins are gone, cash totals round to the nearest coin (card pays exact).
 * In minor units. Countries, not currencies, decide this for the euro (Finland, the Netherlands,
 * Belgium, Ireland and Italy round to 5 cents; Germany does not), so EUR is absent here: a
 * per-store setting is the way to add it.
 */
export const CASH_ROUNDING_BY_CURRENCY: Partial<Record<CurrencyCode, MinorUnits>> = {
  CHF: 5,
  CAD: 5,
  AUD: 5,
  NZD: 10,
  SEK: 100,
  NOK: 100,
  DKK: 50,
  CZK: 100,
  HUF: 500,
};

export function cashRoundingIncrement(currency: CurrencyCode): MinorUnits {
  return CASH_ROUNDING_BY_CURRENCY[currency] ?? 1;
}

/**
 * The amount cash actually settles when `due` must be paid in coins of `increment`: nearest
 * multiple, halves up (Swiss rounding: 0.025 → 0.05). Returns the signed adjustment too, which
 * the cash payment records so the drawer and the sale both balance.
 */
export function roundCashDue(
  due: MinorUnits,
  increment: MinorUnits,
): { readonly payable: MinorUnits; readonly rounding: number } {
  if (!Number.isInteger(increment) || increment < 1)
    throw new RangeError('Bad rounding increment.');
  const payable = Math.floor((2 * due + increment) / (2 * increment)) * increment;
  return { payable, rounding: payable - due };
}
