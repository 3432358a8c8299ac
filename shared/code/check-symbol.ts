import { symbolOf, symbolValue } from './base32.ts';

/**
 * A check symbol over GF(32), the field with 32 elements, so it is itself one of the 32 code
 * symbols (Crockford's mod-37 check needs five extra, awkward symbols).
 *
 * A valid string s_0 … s_n satisfies  Σ α^i · s_i = 0  with α primitive. Because the weights α^i
 * are distinct and non-zero for n < 31:
 * - changing one symbol by e ≠ 0 changes the sum by α^i · e ≠ 0, so every substitution is caught;
 * - swapping neighbours a ≠ b changes it by α^i · (1 + α) · (a + b) ≠ 0, so every adjacent swap is
 *   caught, including a swap with the check symbol itself.
 * Addition in GF(2^5) is XOR; multiplication is modulo the primitive polynomial x^5 + x^2 + 1.
 */
const FIELD_SIZE = 32;
const PRIMITIVE_POLYNOMIAL = 0b100101;
export const MAX_CHECKED_LENGTH = FIELD_SIZE - 1;

const EXP: number[] = [];
const LOG: number[] = new Array<number>(FIELD_SIZE).fill(0);
{
  let x = 1;
  for (let i = 0; i < FIELD_SIZE - 1; i++) {
    EXP.push(x);
    LOG[x] = i;
    x <<= 1;
    if (x & FIELD_SIZE) x ^= PRIMITIVE_POLYNOMIAL;
  }
}

function multiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[((LOG[a] ?? 0) + (LOG[b] ?? 0)) % (FIELD_SIZE - 1)] ?? 0;
}

function weightedSum(symbols: string): number {
  let sum = 0;
  Array.from(symbols).forEach((char, i) => {
    const value = symbolValue(char);
    if (value === undefined) throw new RangeError(`'${char}' is not a base-32 symbol.`);
    sum ^= multiply(EXP[i] ?? 0, value);
  });
  return sum;
}

/** The symbol to append to `payload` so that the whole string passes `hasValidCheckSymbol`. */
export function checkSymbolFor(payload: string): string {
  if (payload.length + 1 > MAX_CHECKED_LENGTH)
    throw new RangeError('Payload too long for a check symbol.');
  const sum = weightedSum(payload);
  // Solve sum + α^n · c = 0 for c: c = sum · α^(-n) (in characteristic 2, -sum = sum).
  const inverseWeight =
    EXP[(FIELD_SIZE - 1 - (payload.length % (FIELD_SIZE - 1))) % (FIELD_SIZE - 1)] ?? 1;
  return symbolOf(multiply(sum, inverseWeight));
}

export function hasValidCheckSymbol(symbols: string): boolean {
  if (symbols.length < 2 || symbols.length > MAX_CHECKED_LENGTH) return false;
  // A predicate, never a throw: zod runs this refinement even after the alphabet check failed,
  // so a pushed code of foreign letters made the sale schema throw (a 500; found by fuzzing).
  if (!Array.from(symbols).every((char) => symbolValue(char) !== undefined)) return false;
  return weightedSum(symbols) === 0;
}
