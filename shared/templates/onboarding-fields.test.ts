import { describe, expect, it } from 'vitest';
import {
  FieldDefinition,
  OnboardingFields,
  TICKET_ATTENDEE_FIELDS,
  VOUCHER_SUBJECT_FIELDS,
  validateOnboarding,
} from './onboarding-fields.ts';

const NOW = '2026-11-26T12:00:00Z';
const voucher = { onboarding: VOUCHER_SUBJECT_FIELDS };
const phone = {
  onboarding: OnboardingFields.parse([
    { name: 'phone', label: 'Phone', type: 'tel', required: false, maxLength: 24 },
    {
      name: 'visit',
      label: 'Visit date',
      type: 'date',
      required: false,
      maxLength: 10,
      when: 'future',
    },
  ]),
};

describe('validateOnboarding', () => {
  it('returns the trimmed declared values and drops undeclared keys', () => {
    const result = validateOnboarding(
      voucher,
      {
        fullName: '  Ada Lovelace ',
        dateOfBirth: '1990-12-10',
        contact: 'ada@example.com',
        csrf: 'x',
      },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      values: { fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', contact: 'ada@example.com' },
    });
  });

  it.each([
    [{}, 'fullName', 'Full name is required.'],
    [{ fullName: '   ' }, 'fullName', 'Full name is required.'],
    [{ fullName: 'x'.repeat(121) }, 'fullName', 'Full name must be at most 120 characters.'],
    [{ fullName: 42 }, 'fullName', 'Full name must be text.'],
    [{ dateOfBirth: '2030-01-01' }, 'dateOfBirth', 'Date of birth must be a date in the past.'],
    [{ dateOfBirth: '2026-11-26' }, 'dateOfBirth', 'Date of birth must be a date in the past.'],
    [
      { dateOfBirth: '26/11/1990' },
      'dateOfBirth',
      'Date of birth must be a date written as YYYY-MM-DD.',
    ],
    [
      { dateOfBirth: '1990-02-30' },
      'dateOfBirth',
      'Date of birth must be a date written as YYYY-MM-DD.',
    ],
    [
      { contact: 'ada at example' },
      'contact',
      'E-mail must be an e-mail address such as name@example.com.',
    ],
  ])('refuses %j with a message for %s', (input, field, message) => {
    const result = validateOnboarding(voucher, input, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toBe(message);
  });

  it('reports every field that needs fixing at once', () => {
    const result = validateOnboarding(voucher, {}, NOW);
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual([
      'contact',
      'dateOfBirth',
      'fullName',
    ]);
  });

  it('omits empty optional fields and checks phones and future dates', () => {
    expect(validateOnboarding(phone, { phone: '' }, NOW)).toEqual({ ok: true, values: {} });
    expect(validateOnboarding(phone, { phone: '+44 20 7946 0958' }, NOW).ok).toBe(true);
    expect(validateOnboarding(phone, { phone: 'call me' }, NOW)).toEqual({
      ok: false,
      errors: { phone: 'Phone must be a phone number: digits, spaces and an optional leading +.' },
    });
    expect(validateOnboarding(phone, { visit: '2026-11-20' }, NOW)).toEqual({
      ok: false,
      errors: { visit: 'Visit date must be a date in the future.' },
    });
  });

  it('asks a ticket for the attendee', () => {
    expect(validateOnboarding({ onboarding: TICKET_ATTENDEE_FIELDS }, {}, NOW)).toEqual({
      ok: false,
      errors: { attendeeName: 'Attendee name is required.' },
    });
  });
});

describe('field definitions', () => {
  it('refuses bad names, past/future on non-dates and duplicate names', () => {
    const field = { name: 'fullName', label: 'Name', type: 'text', required: true, maxLength: 80 };
    expect(FieldDefinition.safeParse(field).success).toBe(true);
    expect(FieldDefinition.safeParse({ ...field, name: 'Full Name' }).success).toBe(false);
    expect(FieldDefinition.safeParse({ ...field, when: 'past' }).success).toBe(false);
    expect(FieldDefinition.safeParse({ ...field, maxLength: 0 }).success).toBe(false);
    expect(OnboardingFields.safeParse([field, field]).success).toBe(false);
  });
});
