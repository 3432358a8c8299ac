import { describe, expect, it } from 'vitest';
import { checkSymbolFor, hasValidCheckSymbol } from './check-symbol.ts';
import { EntitlementCode } from './entitlement-code.ts';

describe('hasValidCheckSymbol', () => {
  it('accepts a payload with its check symbol and refuses a changed one', () => {
    const payload = 'ZE8N000003PGPP00GMM2X6';
    expect(hasValidCheckSymbol(`${payload}${checkSymbolFor(payload)}`)).toBe(true);
    expect(hasValidCheckSymbol(`ZE8M000003PGPP00GMM2X6${checkSymbolFor(payload)}`)).toBe(false);
  });

  // Found by fuzzing the sales push (test/fuzz, FUZZ_SEED=424242 FUZZ_RUNS=4): a code of
  // letters outside the alphabet threw here, and the push answered 500.
  it('answers false, never throws, for letters outside the alphabet', () => {
    for (const text of [
      '\u0f09\u1568\u17ab\u2278\u0c15\u1206\u1e1b\u1ec6\u0211',
      'ab',
      'NaN',
      '😀😀',
    ]) {
      expect(hasValidCheckSymbol(text), text).toBe(false);
      expect(EntitlementCode.safeParse(text).success, text).toBe(false);
    }
  });
});
