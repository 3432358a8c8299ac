import { z } from 'zod';

/**
 * Staff PINs: which ones a person may choose, and the slow salted hash a terminal keeps so it can
 * check a PIN with no network (DESIGN.md invariant 7: staff PINs are local).
 *
 * How strong this is, honestly: a PIN of 4–8 digits has only 10^4–10^8 possible values. Anyone who
 * copies a PinHash off a terminal (its IndexedDB, a backup) can try them all offline, where the
 * lockout does not apply. The slow hash is the only thing that bounds that attacker: at the
 * default count below one guess costs ~120 ms on one core here, so a 4-digit PIN falls in about
 * 20 minutes of one core and an 8-digit PIN in about 140 core-days — less on a GPU farm. So the
 * real protection is elsewhere too: the hash is only synced to terminals enrolled in the store
 * (never to browsers or the redemption portal), the per-staff salt stops one precomputed table
 * from serving every terminal, the lockout bounds guessing *at the counter*, and a PIN guards
 * actions that are audited and approved, not money that can leave silently. Longer PINs help;
 * treat a lost terminal as a reason to change its staff's PINs.
 */

export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 8;

/**
 * Measured once on the development machine (Node 20.20, 2 cores): 600,000 iterations of
 * PBKDF2-HMAC-SHA-256 took ~120 ms (300,000 took ~65 ms). That is slow enough to make each offline
 * guess cost something and fast enough that a cashier does not notice the wait at sign-in. It is
 * also OWASP's 2023 recommendation for this algorithm. Slower counter hardware will take longer;
 * the count is stored with each hash, so it can be raised later without breaking old hashes.
 */
export const DEFAULT_PIN_ITERATIONS = 600_000;

/**
 * Bounds on a stored iteration count. The floor only catches a mistake (tests hash with small
 * counts for speed; production uses the default). The ceiling stops a bad staff record from
 * freezing the terminal for minutes at every sign-in.
 */
export const MIN_PIN_ITERATIONS = 1_000;
export const MAX_PIN_ITERATIONS = 10_000_000;

export const PIN_SALT_BYTES = 16;
const HASH_BYTES = 32;
export const PIN_ALGORITHM = 'PBKDF2-HMAC-SHA-256';

const Base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'Use base64url without padding.');

/** What the server stores and syncs for one staff member's PIN. Never the PIN itself. */
export const PinHash = z.strictObject({
  algorithm: z.literal(PIN_ALGORITHM),
  iterations: z.number().int().min(MIN_PIN_ITERATIONS).max(MAX_PIN_ITERATIONS),
  salt: Base64url.refine(
    (text) => decodedLength(text) >= PIN_SALT_BYTES && decodedLength(text) <= 64,
    `The salt is ${PIN_SALT_BYTES} to 64 random bytes.`,
  ),
  hash: Base64url.refine(
    (text) => decodedLength(text) === HASH_BYTES,
    `The hash is ${HASH_BYTES} bytes.`,
  ),
});
export type PinHash = z.infer<typeof PinHash>;

/**
 * Why a PIN may not be chosen, as a sentence for the person choosing it, or null when it is fine.
 * Only for choosing a PIN: verifying never applies these rules, so tightening them later does not
 * lock anyone out of an older PIN.
 */
export function pinRefusal(pin: string): string | null {
  if (!/^[0-9]*$/.test(pin)) {
    return 'A PIN is digits only. Choose 4 to 8 digits.';
  }
  if (pin.length < PIN_MIN_LENGTH || pin.length > PIN_MAX_LENGTH) {
    return `A PIN is ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} digits; this one has ${pin.length}. Choose 4 to 8 digits.`;
  }
  if (/^(\d)\1*$/.test(pin)) {
    return 'A PIN of one repeated digit is the first thing anyone tries. Mix different digits, for example 4 digits that are not in order.';
  }
  if (isStraightRun(pin)) {
    return 'A PIN that counts up or down (like 1234 or 4321) is easy to guess. Choose digits that are not in order.';
  }
  return null;
}

/** Each digit one more (or one less) than the last; 7890 and 0987 count too, as on a keypad row. */
function isStraightRun(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) {
    steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  }
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/**
 * Hashes a new PIN with a fresh random salt (or the given one, for tests). Refuses a PIN that
 * `pinRefusal` refuses, so a weak PIN can never be stored.
 */
export async function hashPin(
  pin: string,
  options: { readonly iterations: number; readonly salt?: Uint8Array },
): Promise<PinHash> {
  const refusal = pinRefusal(pin);
  if (refusal !== null) throw new RangeError(refusal);
  // Checked before hashing, so a mistaken huge count fails at once instead of after minutes.
  if (!PinHash.shape.iterations.safeParse(options.iterations).success) {
    throw new RangeError(
      `The iteration count must be a whole number from ${MIN_PIN_ITERATIONS} to ${MAX_PIN_ITERATIONS}.`,
    );
  }
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(PIN_SALT_BYTES));
  // Parsing checks the iteration bounds and salt length before the result is ever stored.
  return PinHash.parse({
    algorithm: PIN_ALGORITHM,
    iterations: options.iterations,
    salt: toBase64url(salt),
    hash: toBase64url(await derive(pin, salt, options.iterations)),
  });
}

/**
 * True when `pin` matches. Compares every byte whatever the first difference, so the time taken
 * does not tell a guesser how close they were. A stored hash that does not parse never matches.
 */
export async function verifyPin(pin: string, pinHash: PinHash): Promise<boolean> {
  const parsed = PinHash.safeParse(pinHash);
  if (!parsed.success) return false;
  const expected = fromBase64url(parsed.data.hash);
  const actual = await derive(pin, fromBase64url(parsed.data.salt), parsed.data.iterations);
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= (expected[i] ?? 0) ^ (actual[i] ?? 0);
  }
  return difference === 0;
}

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Bytes that unpadded base64url text of this length encodes (a length of 4n+1 is never valid). */
function decodedLength(text: string): number {
  return text.length % 4 === 1 ? -1 : Math.floor((text.length * 3) / 4);
}
