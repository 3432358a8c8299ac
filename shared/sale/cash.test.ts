import { describe, expect, it } from 'vitest';
import { suggestCashTenders, tenderCash } from './cash.ts';

describe('cash tender', () => {
  it('suggests the exact amount and the next round notes', () => {
    expect(suggestCashTenders(1350, 'EUR')).toEqual([1350, 1500, 2000, 5000]);
    expect(suggestCashTenders(2000, 'EUR')).toEqual([2000, 5000, 10000, 20000]);
  });

  it('works for currencies without minor units', () => {
    expect(suggestCashTenders(1234, 'JPY')[0]).toBe(1234);
    expect(suggestCashTenders(1234, 'JPY')[1]).toBe(1240);
  });

  it('gives change, or says how much is missing', () => {
    expect(tenderCash(1350, 2000)).toEqual({ ok: true, tendered: 2000, change: 650 });
    expect(tenderCash(1350, 1350)).toEqual({ ok: true, tendered: 1350, change: 0 });
    expect(tenderCash(1350, 1000)).toEqual({ ok: false, short: 350 });
  });
});
