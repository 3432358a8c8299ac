import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemRandomBytes } from '../deps.ts';
import { loadOrCreateMasterKey } from './master-key.ts';
import { seal, unseal } from './seal.ts';
import { formatPairingCode, newPairingCode, normalisePairingCode } from './secrets.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'entitle-keys-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('master key', () => {
  it('refuses a damaged key file with a message that says what to do', () => {
    const dir = tempDir();
    loadOrCreateMasterKey(dir, systemRandomBytes);
    writeFileSync(join(dir, 'keys', 'master.key'), 'short');
    expect(() => loadOrCreateMasterKey(dir, systemRandomBytes)).toThrow(/Restore it from a backup/);
  });

  it('is created once, owner-only, and read back on the next start', () => {
    const dir = tempDir();
    const first = loadOrCreateMasterKey(dir, systemRandomBytes);
    const file = join(dir, 'keys', 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(loadOrCreateMasterKey(dir, systemRandomBytes)).toEqual(first);
    expect(new Uint8Array(readFileSync(file))).toEqual(first);
  });
});

describe('seal', () => {
  const master = systemRandomBytes(32);
  const secret = systemRandomBytes(32);

  it('does not open under another key, another context or after tampering', () => {
    const sealed = seal(master, secret, 'terminal:a', systemRandomBytes);
    expect(() => unseal(systemRandomBytes(32), sealed, 'terminal:a')).toThrow();
    expect(() => unseal(master, sealed, 'terminal:b')).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => unseal(master, tampered, 'terminal:a')).toThrow();
    expect(() => unseal(master, 'v0.x.y', 'terminal:a')).toThrow(/unknown format/);
  });

  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(master, secret, 'terminal:a', systemRandomBytes);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(unseal(master, sealed, 'terminal:a')).toEqual(secret);
  });
});

describe('pairing codes', () => {
  it('are eight Crockford symbols, shown as ABCD-1234 and forgiving when typed', () => {
    const code = newPairingCode(systemRandomBytes);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(formatPairingCode('ABCD1234')).toBe('ABCD-1234');
    expect(normalisePairingCode(' abcd-l234 ')).toBe('ABCD1234');
    expect(normalisePairingCode('ABCD-123')).toBeNull();
    expect(normalisePairingCode('ABCD-123U')).toBeNull();
  });
});
