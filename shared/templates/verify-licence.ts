import { canonicalJson } from '../canonical-json.ts';
import { LicenceFile } from './licence.ts';

/**
 * Offline verification of a licence file: the Ed25519 signature over the canonical JSON of
 * every field but `signature` (object keys sorted at every level, arrays in order — the same
 * shared/canonical-json.ts the server signs with). WebCrypto only, so it runs in Node
 * 20 and in a browser alike; the public key is the raw 32 bytes in base64url, as GET
 * /licence-key serves it.
 */
export type LicenceVerdict =
  | { readonly valid: true; readonly file: LicenceFile }
  | { readonly valid: false; readonly reason: string };

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  // A length of 4n+1 characters is never base64.
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded =
    text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function verifyLicenceFile(
  file: unknown,
  publicKeyBase64url: string,
): Promise<LicenceVerdict> {
  const parsed = LicenceFile.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : `${issue.path.map(String).join('.')}: `;
    return {
      valid: false,
      reason: `This is not a licence file (${where}${issue?.message ?? 'unreadable'}).`,
    };
  }
  const raw = fromBase64url(publicKeyBase64url.trim());
  if (raw?.length !== 32) {
    return {
      valid: false,
      reason: 'The public key is not 32 bytes of base64url (see /licence-key).',
    };
  }
  const { signature, ...signed } = parsed.data;
  const signatureBytes = fromBase64url(signature);
  if (signatureBytes?.length !== 64)
    return { valid: false, reason: 'The signature is not 64 bytes.' };
  const key = await globalThis.crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  const ok = await globalThis.crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    signatureBytes,
    new TextEncoder().encode(canonicalJson(signed)),
  );
  return ok
    ? { valid: true, file: parsed.data }
    : {
        valid: false,
        reason:
          'The signature does not match: the file was changed, or it was signed with another key.',
      };
}
