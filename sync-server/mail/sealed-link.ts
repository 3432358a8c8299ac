import { z } from 'zod';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import { seal, unseal } from '../keys/seal.ts';
import { enqueue } from '../outbox/enqueue.ts';

/**
 * A login link must reach its e-mail, but the database keeps only the token's hash: the outbox
 * row holds the token sealed under the master key, bound to the job kind and the hash, so a copy
 * of the database alone opens no link.
 */
const Payload = z.object({ tokenHash: z.string().min(1), sealedToken: z.string().min(1) });
const sealContext = (kind: string, tokenHash: string): string => `${kind}:${tokenHash}`;

export type LinkDeps = {
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly masterKey: Uint8Array;
};

/** Call in the transaction that creates the login token. */
export async function enqueueSealedLink(
  trx: DbOrTrx,
  kind: string,
  link: { readonly token: string; readonly tokenHash: string },
  deps: LinkDeps,
): Promise<void> {
  const sealedToken = seal(
    deps.masterKey,
    Buffer.from(link.token, 'utf8'),
    sealContext(kind, link.tokenHash),
    deps.randomBytes,
  );
  await enqueue(
    trx,
    {
      kind,
      idempotencyKey: `${kind}:${newId('link', deps.randomBytes)}`,
      payload: { tokenHash: link.tokenHash, sealedToken },
    },
    deps,
  );
}

export type OpenedLink = {
  readonly url: string;
  readonly email: string;
  readonly purpose: string;
  readonly code: string | null;
};

/**
 * The link a job owes, or null when its token was used or has expired meanwhile: such a token
 * owes no e-mail any more.
 */
export async function openSealedLink(
  kind: string,
  payload: unknown,
  deps: {
    readonly db: Db;
    readonly clock: Clock;
    readonly masterKey: Uint8Array;
    readonly publicUrl: () => string;
  },
): Promise<OpenedLink | null> {
  const { tokenHash, sealedToken } = Payload.parse(payload);
  const row = await deps.db
    .selectFrom('login_tokens')
    .select(['email', 'purpose', 'code'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', isoNow(deps.clock))
    .executeTakeFirst();
  if (!row) return null;
  const token = Buffer.from(
    unseal(deps.masterKey, sealedToken, sealContext(kind, tokenHash)),
  ).toString('utf8');
  return { url: `${deps.publicUrl()}/auth/link/${token}`, ...row };
}
