import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, type AppContext, type Clock, type RandomBytes } from '../deps.ts';
import { isSecureUrl, readCookie, setCookie } from '../http/cookies.ts';
import { hashSecret, newToken } from '../keys/secrets.ts';

export const SESSION_COOKIE = 'entitle_session';
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

export type Session = {
  readonly idHash: string;
  readonly accountId: string;
  readonly email: string;
  /** The hidden field of this session's forms. */
  readonly csrfToken: string;
};

/** A new session; the cookie value is returned once and only its hash is stored. */
export async function createSession(
  trx: DbOrTrx,
  accountId: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<string> {
  const id = newToken(deps.randomBytes);
  const now = deps.clock();
  await trx
    .insertInto('sessions')
    .values({
      id_hash: hashSecret(id),
      account_id: accountId,
      csrf_token: newToken(deps.randomBytes),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      revoked_at: null,
    })
    .execute();
  return id;
}

export function setSessionCookie(
  reply: FastifyReply,
  id: string,
  ctx: Pick<AppContext, 'publicUrl'>,
): void {
  setCookie(reply, SESSION_COOKIE, id, {
    sameSite: 'Lax',
    maxAge: SESSION_TTL_MS / 1000,
    secure: isSecureUrl(ctx.publicUrl()),
  });
}

export function clearSessionCookie(reply: FastifyReply, ctx: Pick<AppContext, 'publicUrl'>): void {
  setCookie(reply, SESSION_COOKIE, '', {
    sameSite: 'Lax',
    maxAge: 0,
    secure: isSecureUrl(ctx.publicUrl()),
  });
}

/** The signed-in session of a request: not revoked, not expired; else null. */
export async function currentSession(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  request: FastifyRequest,
): Promise<Session | null> {
  const id = readCookie(request, SESSION_COOKIE);
  if (id === undefined || id === '') return null;
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['sessions.id_hash', 'sessions.account_id', 'sessions.csrf_token', 'accounts.email'])
    .where('sessions.id_hash', '=', hashSecret(id))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', isoNow(ctx.clock))
    .executeTakeFirst();
  if (!row) return null;
  return {
    idHash: row.id_hash,
    accountId: row.account_id,
    email: row.email,
    csrfToken: row.csrf_token,
  };
}

export async function revokeSession(db: DbOrTrx, idHash: string, clock: Clock): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: isoNow(clock) })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .execute();
}
