import type { DbOrTrx, LoginPurpose } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { hashSecret, newToken } from '../keys/secrets.ts';

export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;

export type LoginRequest = {
  /** Already normalised (accounts/accounts.ts). */
  readonly email: string;
  readonly purpose: LoginPurpose;
  readonly code: string | null;
};

/** A new magic-link token: 32 random bytes, base64url; only its SHA-256 is stored. */
export async function createLoginToken(
  trx: DbOrTrx,
  request: LoginRequest,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<{ token: string; tokenHash: string }> {
  const token = newToken(deps.randomBytes);
  const tokenHash = hashSecret(token);
  const now = deps.clock();
  await trx
    .insertInto('login_tokens')
    .values({
      token_hash: tokenHash,
      email: request.email,
      purpose: request.purpose,
      code: request.code,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString(),
      used_at: null,
    })
    .execute();
  return { token, tokenHash };
}

/** Whether a token would still work now, without using it (the confirmation page's GET). */
export async function isLoginTokenUsable(
  db: DbOrTrx,
  token: string,
  clock: Clock,
): Promise<boolean> {
  const row = await db
    .selectFrom('login_tokens')
    .select('token_hash')
    .where('token_hash', '=', hashSecret(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', isoNow(clock))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Uses a token up. One guarded UPDATE: of any number of simultaneous uses exactly one matches
 * `used_at IS NULL`; expired, used and unknown tokens all come back as null, alike.
 */
export async function useLoginToken(
  trx: DbOrTrx,
  token: string,
  clock: Clock,
): Promise<LoginRequest | null> {
  const now = isoNow(clock);
  const row = await trx
    .updateTable('login_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashSecret(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['email', 'purpose', 'code'])
    .executeTakeFirst();
  return row ?? null;
}

/** How many links an address asked for since `since`, and the oldest of them (for the wait). */
export async function linksRequestedSince(
  db: DbOrTrx,
  email: string,
  since: string,
): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('login_tokens')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.min('created_at').as('oldest'),
    ])
    .where('email', '=', email)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest };
}
