import { createHash } from 'node:crypto';
import { ALPHABET, bytesToSymbols, normaliseSymbols } from '../../shared/code/base32.ts';
import { CODE_LAYOUT } from '../../shared/code/entitlement-code.ts';
import type { RandomBytes } from '../deps.ts';

export const TOKEN_BYTES = 32;
export const CODE_KEY_BYTES = 32;
const PAIRING_SYMBOLS = 8;
const PAIRING_PATTERN = new RegExp(`^[${ALPHABET}]{${PAIRING_SYMBOLS}}$`);

/** SHA-256, hex. Tokens and pairing codes are high-entropy, so a fast hash is enough at rest. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The bearer token a terminal receives once, at enrolment. */
export function newToken(randomBytes: RandomBytes): string {
  return Buffer.from(randomBytes(TOKEN_BYTES)).toString('base64url');
}

/** 8 Crockford symbols = 40 random bits; single use, expires in a day, rate limited. */
export function newPairingCode(randomBytes: RandomBytes): string {
  return bytesToSymbols(randomBytes(5), PAIRING_SYMBOLS);
}

/** How a pairing code is shown and read aloud: ABCD-1234. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The stored form of what a person typed, or null if it cannot be a pairing code. */
export function normalisePairingCode(input: string): string | null {
  const code = normaliseSymbols(input);
  return PAIRING_PATTERN.test(code) ? code : null;
}

/** A candidate terminal prefix; the caller retries on collision. */
export function newTerminalPrefix(randomBytes: RandomBytes): string {
  return bytesToSymbols(randomBytes(3), CODE_LAYOUT.prefix);
}
