import { describe, expect, it } from 'vitest';
import { DEMO_STAFF } from './demo-staff.ts';
import {
  decoyPasswordHash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_SCRYPT_N,
  passwordRefusal,
  verifyPassword,
} from './password.ts';

describe('dashboard passwords', () => {
  it('refuses short, overlong and monotonous passwords with a sentence', async () => {
    expect(passwordRefusal('short')).toMatch(/at least 12 characters/);
    expect(passwordRefusal('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toBe(
      'Use at most 200 characters.',
    );
    expect(passwordRefusal('abababababab')).toBe('Use more than three different characters.');
    expect(passwordRefusal('correct horse battery')).toBeNull();
    await expect(hashPassword('short')).rejects.toThrow(/at least 12/);
  });

  it("keeps production's cost at N=2^15 unless a test fixture asks for a cheaper one", async () => {
    expect(PASSWORD_SCRYPT_N).toBe(2 ** 15);
    const cheap = await hashPassword('correct horse battery', 2 ** 10);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('correct horse battery!', cheap)).toBe(false);
    for (const cost of [2 ** 9, 3000, 2 ** 16]) {
      await expect(hashPassword('correct horse battery', cost)).rejects.toThrow(/power of two/);
    }
  });

  it('verifies the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse battery!', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
    // NFKC: the same text typed with a composed or decomposed accent is the same password.
    const accented = await hashPassword('caf\u00e9 au lait please');
    expect(await verifyPassword('cafe\u0301 au lait please', accented)).toBe(true);
  });

  it('never matches, and never throws on, a malformed stored hash', async () => {
    const good = await hashPassword('correct horse battery');
    const [, , r, p, salt, key] = good.split('$');
    for (const stored of [
      '',
      'bcrypt$x',
      good.replace('scrypt', 'sha1'),
      `scrypt$3$${r}$${p}$${salt}$${key}`, // N not a power of two: scrypt itself refuses
      `scrypt$1048576$${r}$${p}$${salt}$${key}`, // more memory than allowed
      `scrypt$2097152$${r}$${p}$${salt}$${key}`, // above the accepted cost
      `scrypt$32768$${r}$${p}$AAAA$${key}`, // salt too short
      `scrypt$32768$${r}$${p}$${salt}$AAAA`, // key of the wrong length
      `scrypt$32768$0$${p}$${salt}$${key}`,
    ]) {
      expect(await verifyPassword('correct horse battery', stored), stored).toBe(false);
    }
  });

  it('the decoy is computed once and matches nothing; the demo hashes match the demo passwords', async () => {
    const decoy = await decoyPasswordHash();
    expect(await decoyPasswordHash()).toBe(decoy);
    expect(await verifyPassword('correct horse battery', decoy)).toBe(false);
    for (const member of DEMO_STAFF) {
      if (member.password === null) continue;
      expect(await verifyPassword(member.password, member.passwordHash)).toBe(true);
    }
  });
});
