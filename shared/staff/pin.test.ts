import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIN_ITERATIONS,
  PIN_ALGORITHM,
  PinHash,
  hashPin,
  pinRefusal,
  verifyPin,
} from './pin.ts';

// A small count keeps the suite fast; the default (600,000) is for real PINs.
const iterations = 1_000;
const salt = new Uint8Array(16).map((_, i) => i * 17);

// Test-side codecs, so a hash byte (not a base64 character, whose last bits are padding) flips.
function fromBase64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}
function toBase64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

describe('pinRefusal', () => {
  it.each([
    ['', 'A PIN is 4 to 8 digits; this one has 0. Choose 4 to 8 digits.'],
    ['385', 'A PIN is 4 to 8 digits; this one has 3. Choose 4 to 8 digits.'],
    ['385916274', 'A PIN is 4 to 8 digits; this one has 9. Choose 4 to 8 digits.'],
    ['38a9', 'A PIN is digits only. Choose 4 to 8 digits.'],
    [' 3859', 'A PIN is digits only. Choose 4 to 8 digits.'],
    ['３８５９', 'A PIN is digits only. Choose 4 to 8 digits.'],
  ])('refuses %j with a message that says what to choose', (pin, message) => {
    expect(pinRefusal(pin)).toBe(message);
  });

  it.each(['0000', '1111', '99999999'])('refuses one repeated digit: %s', (pin) => {
    expect(pinRefusal(pin)).toBe(
      'A PIN of one repeated digit is the first thing anyone tries. Mix different digits, for example 4 digits that are not in order.',
    );
  });

  it.each(['1234', '4321', '0123', '3210', '12345678', '87654321', '7890', '0987', '890123'])(
    'refuses a straight run: %s',
    (pin) => {
      expect(pinRefusal(pin)).toBe(
        'A PIN that counts up or down (like 1234 or 4321) is easy to guess. Choose digits that are not in order.',
      );
    },
  );

  it.each(['3859', '1235', '1324', '2468', '1212', '90817263'])('accepts %s', (pin) => {
    expect(pinRefusal(pin)).toBeNull();
  });
});

describe('hashPin and verifyPin', () => {
  it('refuses to hash a PIN that may not be chosen, so a weak PIN is never stored', async () => {
    await expect(hashPin('1234', { iterations })).rejects.toThrow(/counts up or down/);
    await expect(hashPin('12', { iterations })).rejects.toThrow(/4 to 8 digits/);
  });

  it('refuses an iteration count outside the stored bounds', async () => {
    const message = 'The iteration count must be a whole number from 1000 to 10000000.';
    await expect(hashPin('3859', { iterations: 10 })).rejects.toThrow(message);
    await expect(hashPin('3859', { iterations: 20_000_000 })).rejects.toThrow(message);
    await expect(hashPin('3859', { iterations: 1_000.5 })).rejects.toThrow(message);
  });

  it('refuses a salt shorter than 16 bytes', async () => {
    await expect(hashPin('3859', { iterations, salt: new Uint8Array(8) })).rejects.toThrow();
  });

  it('a wrong PIN does not verify', async () => {
    const stored = await hashPin('3859', { iterations });
    expect(await verifyPin('3858', stored)).toBe(false);
    expect(await verifyPin('38590', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
  });

  it('the right PIN verifies, and the stored form parses with the schema', async () => {
    const stored = await hashPin('3859', { iterations });
    expect(await verifyPin('3859', stored)).toBe(true);
    const roundTripped = PinHash.parse(JSON.parse(JSON.stringify(stored)));
    expect(roundTripped).toEqual(stored);
    expect(roundTripped.algorithm).toBe(PIN_ALGORITHM);
    expect(roundTripped.iterations).toBe(iterations);
    expect(roundTripped.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(roundTripped.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verifyPin('3859', roundTripped)).toBe(true);
  });

  it('the default count, used for real PINs, round-trips too (the one slow test here)', async () => {
    const stored = await hashPin('3859', { iterations: DEFAULT_PIN_ITERATIONS });
    expect(stored.iterations).toBe(DEFAULT_PIN_ITERATIONS);
    expect(await verifyPin('3859', stored)).toBe(true);
  });

  it('is deterministic for a given salt and uses a fresh random salt otherwise', async () => {
    const a = await hashPin('3859', { iterations, salt });
    const b = await hashPin('3859', { iterations, salt });
    expect(a).toEqual(b);
    const c = await hashPin('3859', { iterations });
    const d = await hashPin('3859', { iterations });
    expect(c.salt).not.toBe(d.salt);
    expect(c.hash).not.toBe(d.hash);
  });

  it('fails when the salt, the iteration count or any byte of the hash changes', async () => {
    const stored = await hashPin('3859', { iterations, salt });
    const otherSalt = await hashPin('3859', { iterations, salt: salt.map((b) => b ^ 1) });
    expect(await verifyPin('3859', { ...stored, salt: otherSalt.salt })).toBe(false);
    expect(await verifyPin('3859', { ...stored, iterations: iterations + 1 })).toBe(false);
    const bytes = fromBase64url(stored.hash);
    expect(bytes).toHaveLength(32);
    for (let i = 0; i < bytes.length; i++) {
      const flipped = bytes.slice();
      flipped[i] = (flipped[i] ?? 0) ^ 0x01;
      expect(await verifyPin('3859', { ...stored, hash: toBase64url(flipped) })).toBe(false);
    }
  });

  it('a stored hash that does not parse never matches', async () => {
    const stored = await hashPin('3859', { iterations });
    expect(await verifyPin('3859', { ...stored, hash: stored.hash.slice(1) })).toBe(false);
    expect(await verifyPin('3859', { ...stored, iterations: 1 })).toBe(false);
    expect(await verifyPin('3859', { ...stored, algorithm: 'MD5' } as unknown as PinHash)).toBe(
      false,
    );
  });

  it('the schema refuses extra fields and bad encodings', () => {
    const good = {
      algorithm: PIN_ALGORITHM,
      iterations,
      salt: 'AAAAAAAAAAAAAAAAAAAAAA',
      hash: 'A'.repeat(43),
    };
    expect(PinHash.safeParse(good).success).toBe(true);
    expect(PinHash.safeParse({ ...good, pin: '3859' }).success).toBe(false);
    expect(PinHash.safeParse({ ...good, salt: 'AAAA+AAAAAAAAAAAAAAAAA' }).success).toBe(false);
    expect(PinHash.safeParse({ ...good, salt: 'AAAAAAAA' }).success).toBe(false);
    expect(PinHash.safeParse({ ...good, iterations: 1.5 }).success).toBe(false);
  });
});
