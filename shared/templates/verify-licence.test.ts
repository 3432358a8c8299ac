import { describe, expect, it } from 'vitest';
import type { LicenceFile } from './licence.ts';
import { canonicalJson } from '../canonical-json.ts';
import { verifyLicenceFile } from './verify-licence.ts';

const subtle = globalThis.crypto.subtle;

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function keyPair(): Promise<{ sign(text: string): Promise<string>; publicKey: string }> {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  return {
    publicKey: base64url(await subtle.exportKey('raw', pair.publicKey)),
    sign: async (text) =>
      base64url(
        await subtle.sign({ name: 'Ed25519' }, pair.privateKey, new TextEncoder().encode(text)),
      ),
  };
}

const UNSIGNED: Omit<LicenceFile, 'signature'> = {
  format: 'entitle-licence/v1',
  licenceId: 'lic_1',
  productId: 'prod-team-licence',
  productName: 'Design Suite team licence — 25 seats',
  code: 'ABCD000000',
  licensee: 'ana@example.test',
  seats: [
    { seat: 1, email: 'ada@example.test' },
    { seat: 2, email: 'bo@example.test' },
  ],
  issuedAt: '2026-11-26T10:00:00.000Z',
  expiresAt: null,
};

async function signed(): Promise<{ file: LicenceFile; publicKey: string }> {
  const key = await keyPair();
  return {
    file: { ...UNSIGNED, signature: await key.sign(canonicalJson(UNSIGNED)) },
    publicKey: key.publicKey,
  };
}

describe('verifyLicenceFile: refusals', () => {
  it('calls a file with a changed field invalid', async () => {
    const { file, publicKey } = await signed();
    const tampered = { ...file, seats: [...file.seats, { seat: 3, email: 'eve@example.test' }] };
    expect(await verifyLicenceFile(tampered, publicKey)).toEqual({
      valid: false,
      reason:
        'The signature does not match: the file was changed, or it was signed with another key.',
    });
    expect(
      (await verifyLicenceFile({ ...file, expiresAt: '2099-01-01T00:00:00.000Z' }, publicKey))
        .valid,
    ).toBe(false);
  });

  it('calls a file checked with another key invalid', async () => {
    const { file } = await signed();
    const other = await keyPair();
    expect((await verifyLicenceFile(file, other.publicKey)).valid).toBe(false);
  });

  it('says what is wrong with something that is not a licence file or a key', async () => {
    const { file, publicKey } = await signed();
    expect(await verifyLicenceFile({ ...file, seats: [] }, publicKey)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('This is not a licence file (seats:') as string,
    });
    expect(await verifyLicenceFile(file, 'short')).toEqual({
      valid: false,
      reason: 'The public key is not 32 bytes of base64url (see /licence-key).',
    });
  });
});

describe('verifyLicenceFile', () => {
  it('calls a file signed with the key valid, whatever order its keys were written in', async () => {
    const { file, publicKey } = await signed();
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(file).reverse())),
    ) as unknown;
    expect(await verifyLicenceFile(file, publicKey)).toEqual({ valid: true, file });
    expect((await verifyLicenceFile(reordered, publicKey)).valid).toBe(true);
  });
});
