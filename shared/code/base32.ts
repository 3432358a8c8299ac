/**
 * Crockford's base 32: digits and upper-case letters without I, L, O and U, so that a code read
 * aloud or copied by hand has no look-alike characters. https://www.crockford.com/base32.html
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const VALUES = new Map<string, number>(Array.from(ALPHABET).map((char, value) => [char, value]));

/**
 * Forgives what people do when they type a code: lower case, spaces, hyphens, and the letters
 * that look like digits (I and L for 1, O for 0). Does not check anything else.
 */
export function normaliseSymbols(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-‐-―_.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export function symbolValue(char: string): number | undefined {
  return VALUES.get(char);
}

export function symbolOf(value: number): string {
  const char = ALPHABET[value];
  if (char === undefined) throw new RangeError(`No base-32 symbol for ${value}.`);
  return char;
}

/** Writes a non-negative integer below 32^width as exactly `width` symbols. */
export function encodeFixed(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 32 ** width) {
    throw new RangeError(`${value} does not fit in ${width} base-32 symbols.`);
  }
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = symbolOf(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function decodeFixed(symbols: string): number {
  let value = 0;
  for (const char of symbols) {
    const digit = symbolValue(char);
    if (digit === undefined) throw new RangeError(`'${char}' is not a base-32 symbol.`);
    value = value * 32 + digit;
  }
  return value;
}

/** The first `count` symbols of a byte string read as base 32, most significant bit first. */
export function bytesToSymbols(bytes: Uint8Array, count: number): string {
  if (count * 5 > bytes.length * 8) throw new RangeError('Not enough bytes for that many symbols.');
  let out = '';
  for (let i = 0; i < count; i++) {
    let value = 0;
    for (let bit = i * 5; bit < i * 5 + 5; bit++) {
      const byte = bytes[bit >> 3] ?? 0;
      value = (value << 1) | ((byte >> (7 - (bit & 7))) & 1);
    }
    out += symbolOf(value);
  }
  return out;
}
