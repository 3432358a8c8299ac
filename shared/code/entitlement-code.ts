import { z } from 'zod';
import { ALPHABET, bytesToSymbols, decodeFixed, encodeFixed, normaliseSymbols } from './base32.ts';
import { checkSymbolFor, hasValidCheckSymbol } from './check-symbol.ts';

/**
 * An entitlement code, issued offline by a terminal:
 *
 *   TTTT SSSSSS MMMMMMMMMMMMM C      24 base-32 symbols, shown as six groups of four
 *   │    │      │             └ check symbol: catches any one mistyped symbol or swapped pair
 *   │    │      └ 65-bit HMAC-SHA-256 of the rest under the terminal's code key
 *   │    └ serial: a per-terminal counter, so one terminal never repeats a code
 *   └ the terminal's prefix, assigned by the server at enrolment, says whose key signs it
 *
 * The server can tell a genuine code from a guess before its sale has synced; an attacker must
 * find 65 MAC bits (plus rate limits on every place that accepts a code).
 */
export const CODE_LAYOUT = { prefix: 4, serial: 6, mac: 13, check: 1 } as const;
export const CODE_LENGTH =
  CODE_LAYOUT.prefix + CODE_LAYOUT.serial + CODE_LAYOUT.mac + CODE_LAYOUT.check;
export const MAX_SERIAL = 32 ** CODE_LAYOUT.serial - 1;
const MAC_DOMAIN = 'entitle/code/v1:';

export const TerminalPrefix = z
  .string()
  .length(CODE_LAYOUT.prefix)
  .regex(new RegExp(`^[${ALPHABET}]+$`), 'A terminal prefix is four base-32 symbols.');
export type TerminalPrefix = z.infer<typeof TerminalPrefix>;

/** A code in its stored form: normalised, no separators. */
export const EntitlementCode = z
  .string()
  .length(CODE_LENGTH)
  .regex(new RegExp(`^[${ALPHABET}]+$`), 'A code uses only the letters and digits printed on it.')
  .refine(hasValidCheckSymbol, 'The code’s check symbol does not match.');
export type EntitlementCode = z.infer<typeof EntitlementCode>;

export type ParsedCode = {
  readonly code: string;
  readonly prefix: string;
  readonly serial: number;
  readonly mac: string;
};

export type CodeProblem = 'empty' | 'too-short' | 'too-long' | 'bad-character' | 'typo';

export type CodeParseResult =
  | { readonly ok: true; readonly value: ParsedCode }
  | { readonly ok: false; readonly problem: CodeProblem; readonly message: string };

const PROBLEM_MESSAGES: Record<CodeProblem, string> = {
  empty: 'Type the code printed on your receipt.',
  'too-short': `That code is too short: a code has ${CODE_LENGTH} letters and digits.`,
  'too-long': `That code is too long: a code has ${CODE_LENGTH} letters and digits.`,
  'bad-character': 'That code has a character that codes never use. Check it against the receipt.',
  typo: 'That code has a typo: one character is wrong or two are swapped. Check it against the receipt.',
};

function problem(kind: CodeProblem): CodeParseResult {
  return { ok: false, problem: kind, message: PROBLEM_MESSAGES[kind] };
}

/** Reads a code as a person typed it: case, spaces, hyphens and look-alike letters forgiven. */
export function parseCode(input: string): CodeParseResult {
  const code = normaliseSymbols(input);
  if (code.length === 0) return problem('empty');
  if (!Array.from(code).every((char) => ALPHABET.includes(char))) return problem('bad-character');
  if (code.length < CODE_LENGTH) return problem('too-short');
  if (code.length > CODE_LENGTH) return problem('too-long');
  if (!hasValidCheckSymbol(code)) return problem('typo');
  const serialStart = CODE_LAYOUT.prefix;
  const macStart = serialStart + CODE_LAYOUT.serial;
  return {
    ok: true,
    value: {
      code,
      prefix: code.slice(0, serialStart),
      serial: decodeFixed(code.slice(serialStart, macStart)),
      mac: code.slice(macStart, macStart + CODE_LAYOUT.mac),
    },
  };
}

/** Six groups of four, the way a code is printed and read aloud. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * Imported HMAC keys by their bytes. Importing cost four times the signing itself (about 90 of
 * 110 µs a code in Node): a pushed batch checks every code of one terminal with one key, and a
 * till issues every code with its own. A few hundred terminals' keys at most; the oldest goes.
 */
/** WebCrypto's key type, named without the DOM library (the Electron build type-checks shared/). */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const importedKeys = new Map<string, Promise<HmacKey>>();
const MAX_IMPORTED_KEYS = 256;

function hmacKeyOf(key: Uint8Array): Promise<HmacKey> {
  const id = key.join(',');
  const known = importedKeys.get(id);
  if (known !== undefined) return known;
  const imported = crypto.subtle.importKey(
    'raw',
    // A copy: the caller may reuse its array, the cache must not see that.
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  // A failed import is not kept: the next call tries again.
  imported.catch(() => importedKeys.delete(id));
  if (importedKeys.size >= MAX_IMPORTED_KEYS) {
    const oldest = importedKeys.keys().next().value;
    if (oldest !== undefined) importedKeys.delete(oldest);
  }
  importedKeys.set(id, imported);
  return imported;
}

async function macSymbols(key: Uint8Array, prefix: string, serial: string): Promise<string> {
  const hmacKey = await hmacKeyOf(key);
  const message = new TextEncoder().encode(MAC_DOMAIN + prefix + serial);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, message));
  return bytesToSymbols(signature, CODE_LAYOUT.mac);
}

/** Issues the code for one serial of one terminal. Deterministic: the same inputs, the same code. */
export async function issueCode(input: {
  readonly prefix: TerminalPrefix;
  readonly serial: number;
  readonly key: Uint8Array;
}): Promise<EntitlementCode> {
  if (!Number.isSafeInteger(input.serial) || input.serial < 0 || input.serial > MAX_SERIAL) {
    throw new RangeError('This terminal has issued every code it can; enrol it again.');
  }
  const serial = encodeFixed(input.serial, CODE_LAYOUT.serial);
  const payload = input.prefix + serial + (await macSymbols(input.key, input.prefix, serial));
  return payload + checkSymbolFor(payload);
}

/** True when the code was issued with this key. Constant-time over the MAC symbols. */
export async function verifyCodeMac(parsed: ParsedCode, key: Uint8Array): Promise<boolean> {
  const serial = encodeFixed(parsed.serial, CODE_LAYOUT.serial);
  return sameMac(await macSymbols(key, parsed.prefix, serial), parsed.mac);
}

/**
 * verifyCodeMac with a synchronous HMAC-SHA-256 under the terminal's key (the server passes
 * node:crypto's): the same message and the same verdict, without WebCrypto's promise and thread
 * hop per code, which cost about 100 µs a code when a push checks thousands of them.
 */
export function verifyCodeMacWith(
  parsed: ParsedCode,
  hmacSha256: (message: Uint8Array) => Uint8Array,
): boolean {
  const serial = encodeFixed(parsed.serial, CODE_LAYOUT.serial);
  const message = new TextEncoder().encode(MAC_DOMAIN + parsed.prefix + serial);
  return sameMac(bytesToSymbols(hmacSha256(message), CODE_LAYOUT.mac), parsed.mac);
}

/** Constant-time over the symbols. */
function sameMac(expected: string, actual: string): boolean {
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ actual.charCodeAt(i);
  }
  return difference === 0;
}
