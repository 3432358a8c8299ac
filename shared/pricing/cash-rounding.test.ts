import { describe, expect, it } from 'vitest';
import { cashRoundingIncrement, roundCashDue } from './cash-rounding.ts';

describe('cash rounding', () => {
  it('refuses an increment that is not a whole coin', () => {
    expect(() => roundCashDue(100, 0)).toThrow(/increment/);
    expect(() => roundCashDue(100, 2.5)).toThrow(/increment/);
  });

  it('rounds Swiss francs to 5 centimes, halves up', () => {
    expect(cashRoundingIncrement('CHF')).toBe(5);
    expect(roundCashDue(1002, 5)).toEqual({ payable: 1000, rounding: -2 });
    expect(roundCashDue(1003, 5)).toEqual({ payable: 1005, rounding: 2 });
    // Half a coin (2.5 centimes) cannot occur in whole centimes; 0.025 on a 0.05 coin rounds up.
    expect(roundCashDue(25, 50)).toEqual({ payable: 50, rounding: 25 });
  });

  it('rounds Swedish kronor to whole kronor and leaves the euro and yen alone', () => {
    expect(roundCashDue(4950, cashRoundingIncrement('SEK'))).toEqual({
      payable: 5000,
      rounding: 50,
    });
    expect(cashRoundingIncrement('EUR')).toBe(1);
    expect(roundCashDue(1234, cashRoundingIncrement('JPY'))).toEqual({
      payable: 1234,
      rounding: 0,
    });
  });
});
