import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { RandomBytes } from '../deps.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the master key. `context` is authenticated but not stored (e.g. the terminal
 * id), so a sealed value copied to another row does not open there.
 * Format: `v1.<iv>.<ciphertext+tag>`, base64url.
 */
export function seal(
  masterKey: Uint8Array,
  plaintext: Uint8Array,
  context: string,
  randomBytes: RandomBytes,
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, Buffer.from(iv).toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(masterKey: Uint8Array, sealed: string, context: string): Uint8Array {
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || ivText === undefined || bodyText === undefined) {
    throw new Error('A sealed key has an unknown format.');
  }
  const body = Buffer.from(bodyText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  const plain = Buffer.concat([
    decipher.update(body.subarray(0, body.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return new Uint8Array(plain);
}
