import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHABET } from './base32.ts';
import {
  CODE_LENGTH,
  MAX_SERIAL,
  formatCode,
  issueCode,
  parseCode,
  verifyCodeMac,
  verifyCodeMacWith,
} from './entitlement-code.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const seed = 20261126;

const serials = fc.integer({ min: 0, max: MAX_SERIAL });
const prefixes = fc.string({
  unit: fc.constantFrom(...Array.from(ALPHABET)),
  minLength: 4,
  maxLength: 4,
});

function parsedOrThrow(code: string) {
  const result = parseCode(code);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('entitlement codes', () => {
  it('issues a code that parses back to its prefix and serial and verifies under its key', async () => {
    const code = await issueCode({ prefix: 'A1B2', serial: 42, key });
    expect(code).toHaveLength(CODE_LENGTH);
    const parsed = parsedOrThrow(code);
    expect(parsed).toMatchObject({ prefix: 'A1B2', serial: 42, code });
    expect(await verifyCodeMac(parsed, key)).toBe(true);
    expect(await verifyCodeMac(parsed, otherKey)).toBe(false);
  });

  it('signs with the bytes of the key it is given now, not a key it imported before', async () => {
    const reused = new Uint8Array(key);
    const first = await issueCode({ prefix: 'A1B2', serial: 42, key: reused });
    reused.set(otherKey);
    const second = await issueCode({ prefix: 'A1B2', serial: 42, key: reused });
    expect(second).not.toBe(first);
    expect(second).toBe(await issueCode({ prefix: 'A1B2', serial: 42, key: otherKey }));
    // Many terminals' keys: the oldest imported keys are let go, and still sign right after.
    const many = Array.from({ length: 300 }, (_, index) => new Uint8Array(32).fill(index % 256));
    await Promise.all(many.map((each) => issueCode({ prefix: 'A1B2', serial: 1, key: each })));
    expect(await issueCode({ prefix: 'A1B2', serial: 42, key })).toBe(first);
  });

  it('forgives case, spaces, hyphens and look-alike letters', async () => {
    const code = await issueCode({ prefix: '0011', serial: 9, key });
    const typed = ` ${formatCode(code).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(parsedOrThrow(typed).code).toBe(code);
  });

  it('explains empty, short, long and foreign input', () => {
    expect(parseCode('')).toMatchObject({ ok: false, problem: 'empty' });
    expect(parseCode('ABCD')).toMatchObject({ ok: false, problem: 'too-short' });
    expect(parseCode('A'.repeat(CODE_LENGTH + 1))).toMatchObject({
      ok: false,
      problem: 'too-long',
    });
    expect(parseCode('ABCD-UUUU')).toMatchObject({ ok: false, problem: 'bad-character' });
  });

  it('refuses serials beyond what the layout holds', async () => {
    await expect(issueCode({ prefix: 'A1B2', serial: MAX_SERIAL + 1, key })).rejects.toThrow(
      /enrol it again/,
    );
  });

  it('detects every single-character substitution', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefixes,
        serials,
        fc.nat({ max: CODE_LENGTH - 1 }),
        fc.nat({ max: ALPHABET.length - 2 }),
        async (prefix, serial, position, shift) => {
          const code = await issueCode({ prefix, serial, key });
          const original = ALPHABET.indexOf(code[position]!);
          const replacement = ALPHABET[(original + 1 + shift) % ALPHABET.length]!;
          const typo = code.slice(0, position) + replacement + code.slice(position + 1);
          expect(parseCode(typo)).toMatchObject({ ok: false, problem: 'typo' });
        },
      ),
      { seed, numRuns: 2000 },
    );
  });

  it('detects every adjacent swap of different characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefixes,
        serials,
        fc.nat({ max: CODE_LENGTH - 2 }),
        async (prefix, serial, i) => {
          const code = await issueCode({ prefix, serial, key });
          fc.pre(code[i] !== code[i + 1]);
          const swapped = code.slice(0, i) + code[i + 1]! + code[i]! + code.slice(i + 2);
          expect(parseCode(swapped)).toMatchObject({ ok: false, problem: 'typo' });
        },
      ),
      { seed, numRuns: 2000 },
    );
  });

  it('exhaustively catches every substitution and swap of one code', async () => {
    const code = await issueCode({ prefix: 'ZZ00', serial: 123456, key });
    for (let i = 0; i < CODE_LENGTH; i++) {
      for (const replacement of ALPHABET) {
        if (replacement === code[i]) continue;
        expect(parseCode(code.slice(0, i) + replacement + code.slice(i + 1)).ok).toBe(false);
      }
      if (i + 1 < CODE_LENGTH && code[i] !== code[i + 1]) {
        expect(parseCode(code.slice(0, i) + code[i + 1]! + code[i]! + code.slice(i + 2)).ok).toBe(
          false,
        );
      }
    }
  });

  it('never repeats a code from one terminal', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefixes,
        fc.uniqueArray(serials, { minLength: 2, maxLength: 200 }),
        async (prefix, list) => {
          const codes = await Promise.all(list.map((serial) => issueCode({ prefix, serial, key })));
          expect(new Set(codes).size).toBe(list.length);
        },
      ),
      { seed, numRuns: 100 },
    );
  });

  it('a MAC altered in a way the check symbol cannot see is still refused', async () => {
    const code = await issueCode({ prefix: 'A1B2', serial: 5, key });
    const parsed = parsedOrThrow(code);
    const forged = { ...parsed, mac: (parsed.mac[0] === '0' ? '1' : '0') + parsed.mac.slice(1) };
    expect(await verifyCodeMac(forged, key)).toBe(false);
  });
});

describe('verifyCodeMacWith (a synchronous HMAC, as the server checks pushed codes)', () => {
  const nodeHmac = (bytes: Uint8Array) => (message: Uint8Array) =>
    new Uint8Array(createHmac('sha256', bytes).update(message).digest());

  it('gives the same verdict as verifyCodeMac for genuine, foreign and altered codes', async () => {
    await fc.assert(
      fc.asyncProperty(prefixes, serials, fc.nat({ max: 12 }), async (prefix, serial, at) => {
        const code = await issueCode({ prefix, serial, key });
        const parsed = parsedOrThrow(code);
        expect(verifyCodeMacWith(parsed, nodeHmac(key))).toBe(true);
        expect(verifyCodeMacWith(parsed, nodeHmac(otherKey))).toBe(false);
        const symbol = parsed.mac[at] ?? 'A';
        const other = ALPHABET[(ALPHABET.indexOf(symbol) + 1) % ALPHABET.length] ?? 'A';
        const altered = {
          ...parsed,
          mac: parsed.mac.slice(0, at) + other + parsed.mac.slice(at + 1),
        };
        expect(verifyCodeMacWith(altered, nodeHmac(key))).toBe(false);
        expect(await verifyCodeMac(altered, key)).toBe(false);
        const shorter = { ...parsed, mac: parsed.mac.slice(1) };
        expect(verifyCodeMacWith(shorter, nodeHmac(key))).toBe(false);
      }),
      { seed, numRuns: 200 },
    );
  });
});
