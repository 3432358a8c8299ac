import { describe, expect, it } from 'vitest';
import { LicenceFile, assignSeats } from './licence.ts';

describe('assignSeats', () => {
  it('numbers seats in order and normalises e-mails', () => {
    expect(assignSeats({ seats: 3 }, [' Ada@Example.com', 'bob@example.com'])).toEqual({
      ok: true,
      seats: [
        { seat: 1, email: 'ada@example.com' },
        { seat: 2, email: 'bob@example.com' },
      ],
    });
  });

  it.each([
    [1, ['a@example.com', 'b@example.com'], 'This licence has 1 seats; 2 people were given.'],
    [2, ['a@example.com', 'nope'], 'Seat 2: “nope” is not an e-mail address.'],
    [
      2,
      ['a@example.com', 'A@example.com'],
      'a@example.com already holds a seat; each person needs one seat.',
    ],
  ])('refuses %i seats for %j', (seats, emails, reason) => {
    expect(assignSeats({ seats }, emails)).toEqual({ ok: false, reason });
  });
});

describe('LicenceFile', () => {
  const file = {
    format: 'entitle-licence/v1',
    licenceId: 'lic_1',
    productId: 'prod_1',
    productName: 'Editor Pro',
    code: 'ABCD',
    licensee: 'Example Ltd',
    seats: [{ seat: 1, email: 'ada@example.com' }],
    issuedAt: '2026-11-26T10:00:00Z',
    expiresAt: null,
    signature: 'A'.repeat(86),
  };

  it('accepts a complete file and refuses one without seats or signature', () => {
    expect(LicenceFile.safeParse(file).success).toBe(true);
    expect(LicenceFile.safeParse({ ...file, seats: [] }).success).toBe(false);
    expect(LicenceFile.safeParse({ ...file, signature: 'short' }).success).toBe(false);
  });
});
