import { randomBytes as nodeRandomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Dashboard passwords: scrypt (memory-hard) with a per-password salt, stored as
 * `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later without breaking old
 * hashes. N=2^15, r=8, p=1 costs ~32 MiB and ~60–100 ms here: slow for a guesser with a copy of
 * the table, unnoticeable at sign-in.
 */
export const PASSWORD_SCRYPT_N = 2 ** 15;
/** The cheapest cost `hashPassword` accepts (tests ask for it: production never passes one). */
const MIN_N = 2 ** 10;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_MEMORY = 64 * 1024 * 1024;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Why a new password is refused, in a sentence; null when it is acceptable. */
export function passwordRefusal(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${String(PASSWORD_MIN_LENGTH)} characters; a few words are easy to remember.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${String(PASSWORD_MAX_LENGTH)} characters.`;
  }
  if (new Set(password).size < 4) return 'Use more than three different characters.';
  return null;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N: n, r, p, maxmem: MAX_MEMORY },
      (error, key) => {
        if (error) reject(error);
        else resolve(key);
      },
    );
  });
}

/**
 * `cost` is scrypt's N, PASSWORD_SCRYPT_N unless given: only test fixtures give a lower one (a
 * power of two from 2^10), so that their hundreds of accounts and sign-ins do not each spend
 * production's 32 MiB and ~100 ms. The stored hash names its N, so verifying needs no setting.
 */
export async function hashPassword(
  password: string,
  cost: number = PASSWORD_SCRYPT_N,
): Promise<string> {
  const refusal = passwordRefusal(password);
  if (refusal !== null) throw new RangeError(refusal);
  if (!Number.isInteger(Math.log2(cost)) || cost < MIN_N || cost > PASSWORD_SCRYPT_N) {
    throw new RangeError(`scrypt cost ${String(cost)}: a power of two from 2^10 to 2^15`);
  }
  const salt = nodeRandomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, R, P);
  return ['scrypt', cost, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((value) => Number.isInteger(value) && value > 0) || n > 2 ** 20)
    return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || expected.length !== KEY_BYTES) return false;
  try {
    const actual = await derive(password.slice(0, PASSWORD_MAX_LENGTH * 4), salt, n, r, p);
    return timingSafeEqual(actual, expected);
  } catch {
    // Parameters scrypt refuses (N not a power of two, more memory than allowed): no match.
    return false;
  }
}

/**
 * A hash to check against when the e-mail is unknown, so "no such user" takes as long as "wrong
 * password" and the timing does not tell which e-mails have accounts.
 */
let decoy: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword('decoy password that never matches anything');
  return decoy;
}
