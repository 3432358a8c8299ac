import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { seal, unseal } from './seal.ts';

/**
 * The server's Ed25519 key that signs licence files. Generated once, on first use; the private
 * half is sealed under the master key (like the terminals' code keys), so a copied database
 * alone cannot sign. The public half is served at GET /licence-key for offline verification.
 */
export const LICENCE_KEY_NAME = 'licence';
const SEAL_CONTEXT = 'signing-key:licence';

export type LicenceKeyDeps = {
  readonly masterKey: Uint8Array;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
};

/** The raw 32-byte public key, base64url, and the same key as SPKI PEM. */
export type LicencePublicKey = { readonly publicKey: string; readonly pem: string };

function pemOf(rawBase64url: string): string {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: rawBase64url },
    format: 'jwk',
  })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** Creates the key unless it exists; of two servers racing, the first insert wins. */
async function ensureLicenceKey(
  db: DbOrTrx,
  deps: LicenceKeyDeps,
): Promise<{ public_key: string; private_key_enc: string }> {
  const existing = await db
    .selectFrom('signing_keys')
    .select(['public_key', 'private_key_enc'])
    .where('name', '=', LICENCE_KEY_NAME)
    .executeTakeFirst();
  if (existing) return existing;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x;
  if (raw === undefined) throw new Error('Ed25519 key without a public part.');
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  await db
    .insertInto('signing_keys')
    .values({
      name: LICENCE_KEY_NAME,
      public_key: raw,
      private_key_enc: seal(deps.masterKey, new Uint8Array(pkcs8), SEAL_CONTEXT, deps.randomBytes),
      created_at: isoNow(deps.clock),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return db
    .selectFrom('signing_keys')
    .select(['public_key', 'private_key_enc'])
    .where('name', '=', LICENCE_KEY_NAME)
    .executeTakeFirstOrThrow();
}

export async function licencePublicKey(
  db: DbOrTrx,
  deps: LicenceKeyDeps,
): Promise<LicencePublicKey> {
  const row = await ensureLicenceKey(db, deps);
  return { publicKey: row.public_key, pem: pemOf(row.public_key) };
}

/** Signs `message` (UTF-8) with the licence key; the signature is base64url (86 characters). */
export async function signWithLicenceKey(
  db: DbOrTrx,
  message: string,
  deps: LicenceKeyDeps,
): Promise<string> {
  const row = await ensureLicenceKey(db, deps);
  const der = unseal(deps.masterKey, row.private_key_enc, SEAL_CONTEXT);
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(message, 'utf8'), key).toString('base64url');
}
