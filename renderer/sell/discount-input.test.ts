import { describe, expect, it } from 'vitest';
import { discountInputText, parseDiscountInput } from './discount-input.ts';

describe('the Discount… form input', () => {
  it('refuses what is not a percentage, saying what to type', () => {
    for (const text of ['', 'ten', '0', '101', '12.3456', '-5']) {
      expect(parseDiscountInput('percent', text, 'EUR', 1000)).toEqual({
        ok: false,
        error: 'Type a percentage from 0.001 to 100, such as 10 or 12.5.',
      });
    }
  });

  it('refuses an amount that is not money in the currency, or more than it comes off', () => {
    expect(parseDiscountInput('amount', '1.234', 'EUR', 1000)).toEqual({
      ok: false,
      error: 'Type an amount such as 5.00, in EUR.',
    });
    expect(parseDiscountInput('amount', '0', 'EUR', 1000).ok).toBe(false);
    expect(parseDiscountInput('amount', '10.01', 'EUR', 1000)).toEqual({
      ok: false,
      error: 'That is more than the €10.00 it comes off. Type at most €10.00, or 100 %.',
    });
  });

  it('reads percentages and amounts in minor units, per currency', () => {
    expect(parseDiscountInput('percent', '8,875', 'EUR', 1000)).toEqual({
      ok: true,
      discount: { kind: 'percent', milliPercent: 8875 },
    });
    expect(parseDiscountInput('amount', '2,50', 'EUR', 1000)).toEqual({
      ok: true,
      discount: { kind: 'amount', amount: 250 },
    });
    expect(parseDiscountInput('amount', '300', 'JPY', 1000)).toEqual({
      ok: true,
      discount: { kind: 'amount', amount: 300 },
    });
  });

  it('shows a discount given before as it would be typed', () => {
    expect(discountInputText({ kind: 'percent', milliPercent: 12500 }, 'EUR')).toBe('12.5');
    expect(discountInputText({ kind: 'amount', amount: 250 }, 'EUR')).toBe('2.50');
  });
});
