import type { CurrencyCode, MinorUnits } from '../money.ts';
import { minorUnitDigits } from '../money.ts';

export type DenominationKind = 'note' | 'coin';

export type Denomination = {
  /** In minor units of the currency, like every amount. */
  readonly value: MinorUnits;
  readonly kind: DenominationKind;
};

type Series = { readonly notes: readonly number[]; readonly coins: readonly number[] };

/**
 * Notes and coins in circulation, in major units, largest first. Written in major units because
 * that is how a person checks them against a banknote; converted with the currency's own minor
 * unit digits (the same Intl figure formatMoney uses), so JPY and HUF count whole units.
 * Rarely seen values (the €500 note, the US half dollar, the $2 bill) are left out: a count
 * screen with a row nobody ever fills only slows the close.
 */
const SERIES: Partial<Record<CurrencyCode, Series>> = {
  EUR: { notes: [200, 100, 50, 20, 10, 5], coins: [2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01] },
  USD: { notes: [100, 50, 20, 10, 5, 1], coins: [0.25, 0.1, 0.05, 0.01] },
  GBP: { notes: [50, 20, 10, 5], coins: [2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01] },
  CHF: { notes: [1000, 200, 100, 50, 20, 10], coins: [5, 2, 1, 0.5, 0.2, 0.1, 0.05] },
  JPY: { notes: [10000, 5000, 2000, 1000], coins: [500, 100, 50, 10, 5, 1] },
  SEK: { notes: [1000, 500, 200, 100, 50, 20], coins: [10, 5, 2, 1] },
  NOK: { notes: [1000, 500, 200, 100, 50], coins: [20, 10, 5, 1] },
  DKK: { notes: [1000, 500, 200, 100, 50], coins: [20, 10, 5, 2, 1, 0.5] },
  CAD: { notes: [100, 50, 20, 10, 5], coins: [2, 1, 0.25, 0.1, 0.05] },
  AUD: { notes: [100, 50, 20, 10, 5], coins: [2, 1, 0.5, 0.2, 0.1, 0.05] },
  NZD: { notes: [100, 50, 20, 10, 5], coins: [2, 1, 0.5, 0.2, 0.1] },
  CZK: { notes: [5000, 2000, 1000, 500, 200, 100], coins: [50, 20, 10, 5, 2, 1] },
  HUF: { notes: [20000, 10000, 5000, 2000, 1000, 500], coins: [200, 100, 50, 20, 10, 5] },
  PLN: {
    notes: [500, 200, 100, 50, 20, 10],
    coins: [5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01],
  },
};

/** The fallback's reach: 1, 2, 5 × powers of ten from one minor unit up to 500 major units. */
const FALLBACK_TOP_MAJOR = 500;
/** In the fallback, values from this many major units up are called notes. */
const FALLBACK_NOTE_FROM_MAJOR = 5;

/**
 * The notes and coins of a currency, largest first, in minor units. A currency without a known
 * series gets a 1/2/5 series from its minor unit: every amount can still be counted, the close
 * never blocks on a currency we did not list.
 */
export function denominationsOf(currency: CurrencyCode): Denomination[] {
  const unit = 10 ** minorUnitDigits(currency);
  const series = SERIES[currency];
  if (series) {
    const toMinor = (major: number) => Math.round(major * unit);
    return [
      ...series.notes.map((major) => ({ value: toMinor(major), kind: 'note' as const })),
      ...series.coins.map((major) => ({ value: toMinor(major), kind: 'coin' as const })),
    ];
  }
  const values: number[] = [];
  for (let power = 1; power <= FALLBACK_TOP_MAJOR * unit; power *= 10) {
    for (const step of [1, 2, 5]) {
      if (step * power <= FALLBACK_TOP_MAJOR * unit) values.push(step * power);
    }
  }
  return values.reverse().map((value) => ({
    value,
    kind: value >= FALLBACK_NOTE_FROM_MAJOR * unit ? 'note' : 'coin',
  }));
}

/** "€50", "€0.50", "¥1,000": the face value as printed on it, without needless zero cents. */
export function formatFaceValue(value: MinorUnits, currency: CurrencyCode): string {
  const digits = minorUnitDigits(currency);
  const whole = value % 10 ** digits === 0;
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: whole ? 0 : digits,
  }).format(value / 10 ** digits);
}

/** "€50 notes", "€2 coins": the label of a count input on the close screen. */
export function denominationLabel(denomination: Denomination, currency: CurrencyCode): string {
  return `${formatFaceValue(denomination.value, currency)} ${denomination.kind}s`;
}
