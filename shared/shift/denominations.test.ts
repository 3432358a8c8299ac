import { describe, expect, it } from 'vitest';
import { DenominationCounts, formatDenominationCounts } from './shift-events.ts';
import { denominationLabel, denominationsOf, formatFaceValue } from './denominations.ts';

const KNOWN = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'CAD', 'AUD', 'NZD'];
const MORE = ['CZK', 'HUF', 'PLN'];

describe('denominationsOf', () => {
  it('lists the euro notes and coins in cents, largest first', () => {
    expect(denominationsOf('EUR').map((d) => d.value)).toEqual([
      20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
    ]);
    expect(denominationsOf('EUR').filter((d) => d.kind === 'note')).toHaveLength(6);
  });

  it('counts yen and forint in whole units (their minor unit has no decimals)', () => {
    expect(denominationsOf('JPY')[0]).toEqual({ value: 10000, kind: 'note' });
    expect(denominationsOf('JPY').at(-1)).toEqual({ value: 1, kind: 'coin' });
    expect(denominationsOf('HUF')[0]).toEqual({ value: 20000, kind: 'note' });
  });

  it('has no float dust in converted values (0.1 × 100 is exactly 10)', () => {
    for (const currency of [...KNOWN, ...MORE]) {
      for (const { value } of denominationsOf(currency)) expect(Number.isInteger(value)).toBe(true);
    }
  });

  it('gives every listed currency strictly descending, distinct values that fit a close detail', () => {
    for (const currency of [...KNOWN, ...MORE, 'ZAR', 'KWD', 'ISK']) {
      const values = denominationsOf(currency).map((d) => d.value);
      expect(values.length).toBeGreaterThan(3);
      expect(values.length).toBeLessThanOrEqual(24);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      expect(new Set(values).size).toBe(values.length);
      const oneOfEach = formatDenominationCounts(new Map(values.map((value) => [value, 99999])));
      expect(DenominationCounts.safeParse(oneOfEach).success).toBe(true);
    }
  });

  it('falls back to a 1/2/5 series from the minor unit for a currency it does not list', () => {
    const zar = denominationsOf('ZAR');
    expect(zar.map((d) => d.value).slice(-4)).toEqual([10, 5, 2, 1]);
    expect(zar[0]).toEqual({ value: 50000, kind: 'note' });
    expect(zar.find((d) => d.value === 200)?.kind).toBe('coin');
    expect(zar.find((d) => d.value === 500)?.kind).toBe('note');
    // The Kuwaiti dinar has three decimals: the smallest step is one fils.
    expect(denominationsOf('KWD').at(-1)?.value).toBe(1);
    expect(denominationsOf('KWD')[0]?.value).toBe(500000);
  });
});

describe('labels', () => {
  it('reads like the face of the note or coin', () => {
    expect(denominationLabel({ value: 5000, kind: 'note' }, 'EUR')).toBe('€50 notes');
    expect(denominationLabel({ value: 200, kind: 'coin' }, 'EUR')).toBe('€2 coins');
    expect(denominationLabel({ value: 50, kind: 'coin' }, 'EUR')).toBe('€0.50 coins');
    expect(denominationLabel({ value: 25, kind: 'coin' }, 'USD')).toBe('US$0.25 coins');
    expect(formatFaceValue(1000, 'JPY')).toBe('JP¥1,000');
  });
});
