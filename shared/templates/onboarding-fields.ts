import { z } from 'zod';

/**
 * The onboarding form is data, not code: the back office declares the fields a template needs
 * (the voucher's subject, the ticket's attendee) and both the redemption page and the server run
 * the same `validateOnboarding` over what the customer typed.
 */
export const FieldType = z.enum(['text', 'email', 'date', 'tel']);
export type FieldType = z.infer<typeof FieldType>;

export const FieldDefinition = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z][A-Za-z0-9]{0,39}$/,
        'A field name is camelCase letters and digits, e.g. dateOfBirth.',
      ),
    label: z.string().trim().min(1).max(60),
    type: FieldType,
    required: z.boolean(),
    maxLength: z.int().min(1).max(500),
    /** Only for dates: a date of birth lies in the past, an appointment in the future. */
    when: z.enum(['any', 'past', 'future']).default('any'),
  })
  .refine((field) => field.type === 'date' || field.when === 'any', {
    error: 'Only a date field can require a date in the past or the future.',
    path: ['when'],
  });
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const OnboardingFields = z
  .array(FieldDefinition)
  .max(20)
  .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, {
    error: 'Each field needs its own name.',
  });
export type OnboardingFields = z.infer<typeof OnboardingFields>;

/** The subject a single-use voucher is for (a patient, a participant). */
export const VOUCHER_SUBJECT_FIELDS: OnboardingFields = [
  {
    name: 'fullName',
    label: 'Full name',
    type: 'text',
    required: true,
    maxLength: 120,
    when: 'any',
  },
  {
    name: 'dateOfBirth',
    label: 'Date of birth',
    type: 'date',
    required: true,
    maxLength: 10,
    when: 'past',
  },
  { name: 'contact', label: 'E-mail', type: 'email', required: true, maxLength: 254, when: 'any' },
];

export const TICKET_ATTENDEE_FIELDS: OnboardingFields = [
  {
    name: 'attendeeName',
    label: 'Attendee name',
    type: 'text',
    required: true,
    maxLength: 120,
    when: 'any',
  },
];

export type OnboardingValues = Readonly<Record<string, string>>;
export type OnboardingResult =
  | { readonly ok: true; readonly values: OnboardingValues }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

const EMAIL = z.email();
const TEL = /^\+?[0-9 ()-]{6,24}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date that exists: rejects 2026-02-30, which `Date` would roll over to March. */
function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function problemWith(field: FieldDefinition, value: string, today: string): string | null {
  if (value.length > field.maxLength)
    return `${field.label} must be at most ${field.maxLength} characters.`;
  switch (field.type) {
    case 'text':
      return null;
    case 'email':
      return EMAIL.safeParse(value).success
        ? null
        : `${field.label} must be an e-mail address such as name@example.com.`;
    case 'tel':
      return TEL.test(value) && value.replace(/\D/g, '').length >= 6
        ? null
        : `${field.label} must be a phone number: digits, spaces and an optional leading +.`;
    case 'date':
      if (!isRealDate(value)) return `${field.label} must be a date written as YYYY-MM-DD.`;
      // ISO dates compare correctly as strings.
      if (field.when === 'past' && value >= today)
        return `${field.label} must be a date in the past.`;
      if (field.when === 'future' && value <= today)
        return `${field.label} must be a date in the future.`;
      return null;
  }
}

/**
 * Checks what a person typed against the template's fields. Returns the trimmed values of the
 * declared fields (undeclared keys are dropped, empty optional fields omitted) or one message
 * per field that needs fixing. `now` is passed in: "in the past" depends on the clock.
 */
export function validateOnboarding(
  template: { readonly onboarding: OnboardingFields },
  input: Readonly<Record<string, unknown>>,
  now: string,
): OnboardingResult {
  const today = now.slice(0, 10);
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of template.onboarding) {
    const raw = Object.hasOwn(input, field.name) ? input[field.name] : undefined;
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      errors[field.name] = `${field.label} must be text.`;
      continue;
    }
    const value = (raw ?? '').trim();
    if (value === '') {
      if (field.required) errors[field.name] = `${field.label} is required.`;
      continue;
    }
    const problem = problemWith(field, value, today);
    if (problem === null) values[field.name] = value;
    else errors[field.name] = problem;
  }
  return Object.keys(errors).length === 0 ? { ok: true, values } : { ok: false, errors };
}
