import { assignSeats, type SeatAssignment } from '../../shared/templates/licence.ts';
import {
  validateOnboarding,
  type OnboardingValues,
} from '../../shared/templates/onboarding-fields.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';

/** What a holder registers: the template's fields, and for a licence the seat holders. */
export type Submission = {
  readonly values: OnboardingValues;
  /** Seats of a licence, numbered; null for every other kind. */
  readonly seats: readonly SeatAssignment[] | null;
};

/** The form as typed, to show again with its errors. */
export type TypedForm = {
  readonly values: Readonly<Record<string, string>>;
  readonly seatsText: string;
};

export type SubmissionResult =
  | { readonly ok: true; readonly submission: Submission }
  | {
      readonly ok: false;
      readonly errors: Readonly<Record<string, string>>;
      readonly typed: TypedForm;
    };

export const SEATS_FIELD = 'seats';
/** 1000 seats of the longest e-mail addresses, with line breaks. */
const MAX_SEATS_TEXT = 1000 * 256;

function text(body: Readonly<Record<string, unknown>>, name: string, max: number): string {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** True when a template has nothing for the holder to register: claiming it activates it. */
export function needsNothing(template: ProductTemplate): boolean {
  return template.onboarding.length === 0 && template.kind !== 'licence';
}

/** One e-mail per line; blank lines and surrounding spaces ignored. */
export function seatLines(seatsText: string): string[] {
  return seatsText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Checks a posted form against the template with the shared rules; nothing is stored here. */
export function readSubmission(
  template: ProductTemplate,
  body: unknown,
  now: string,
): SubmissionResult {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const typed: TypedForm = {
    values: Object.fromEntries(
      template.onboarding.map((field) => [field.name, text(fields, field.name, 1000)]),
    ),
    seatsText: template.kind === 'licence' ? text(fields, SEATS_FIELD, MAX_SEATS_TEXT) : '',
  };
  const checked = validateOnboarding(template, fields, now);
  const errors: Record<string, string> = checked.ok ? {} : { ...checked.errors };
  let seats: readonly SeatAssignment[] | null = null;
  if (template.kind === 'licence') {
    const lines = seatLines(typed.seatsText);
    const assigned = assignSeats(template, lines);
    if (lines.length === 0) {
      errors[SEATS_FIELD] = 'Give at least one e-mail address, one per line.';
    } else if (!assigned.ok) {
      errors[SEATS_FIELD] = assigned.reason;
    } else {
      seats = assigned.seats;
    }
  }
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors, typed };
  return { ok: true, submission: { values: checked.values, seats } };
}
