import { z } from 'zod';
import { CurrencyCode, MinorUnits } from '../money.ts';
import { Timestamp } from '../schemas/common.ts';
import {
  OnboardingFields,
  TICKET_ATTENDEE_FIELDS,
  VOUCHER_SUBJECT_FIELDS,
} from './onboarding-fields.ts';

const DAY_MS = 86_400_000;

/** How long an entitlement stays redeemable. `null` on a template means it never expires. */
export const Validity = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('days'), days: z.int().min(1).max(36_600) }),
  z.strictObject({ kind: z.literal('until'), date: z.iso.date() }),
]);
export type Validity = z.infer<typeof Validity>;

/** What the server does once an entitlement becomes active (through the outbox, DESIGN.md #5). */
export const Fulfilment = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('none') }),
  z.strictObject({
    action: z.literal('webhook'),
    url: z.url({
      protocol: /^https$/,
      error: 'A webhook address is a full https:// address.',
    }),
  }),
  z.strictObject({ action: z.literal('licence-file') }),
]);
export type Fulfilment = z.infer<typeof Fulfilment>;

const common = {
  validity: Validity.nullable(),
  fulfilment: Fulfilment,
};

export const GiftCardTemplate = z.strictObject({
  kind: z.literal('gift_card'),
  initialBalance: MinorUnits.min(1, 'A gift card starts with a balance above zero.'),
  currency: CurrencyCode,
  onboarding: OnboardingFields.default([]),
  ...common,
});

export const VoucherTemplate = z
  .strictObject({
    kind: z.literal('voucher'),
    onboarding: OnboardingFields.default(VOUCHER_SUBJECT_FIELDS),
    ...common,
  })
  .refine((t) => t.onboarding.some((f) => f.required), {
    error: 'A voucher is for someone: declare at least one required subject field.',
    path: ['onboarding'],
  });

/** Seats are assigned to people by e-mail after the sale (see `assignSeats` in licence.ts). */
export const LicenceTemplate = z.strictObject({
  kind: z.literal('licence'),
  seats: z.int('Seats are a whole number.').min(1).max(1000, 'A licence has at most 1000 seats.'),
  onboarding: OnboardingFields.default([]),
  ...common,
});

export const TicketTemplate = z
  .strictObject({
    kind: z.literal('ticket'),
    eventName: z.string().trim().min(1).max(120),
    eventDate: Timestamp,
    onboarding: OnboardingFields.default(TICKET_ATTENDEE_FIELDS),
    ...common,
  })
  .refine(
    (t) => t.onboarding.some((f) => f.name === 'attendeeName' && f.required && f.type === 'text'),
    {
      error: 'A ticket asks for the attendee: a required text field attendeeName.',
      path: ['onboarding'],
    },
  );

export const ProductTemplate = z
  .discriminatedUnion('kind', [GiftCardTemplate, VoucherTemplate, LicenceTemplate, TicketTemplate])
  .refine((t) => t.fulfilment.action !== 'licence-file' || t.kind === 'licence', {
    error: 'Only a licence can be fulfilled with a licence file.',
    path: ['fulfilment'],
  });
export type ProductTemplate = z.infer<typeof ProductTemplate>;
export type GiftCardTemplate = z.infer<typeof GiftCardTemplate>;
export type LicenceTemplate = z.infer<typeof LicenceTemplate>;

/**
 * When an entitlement issued at `issuedAt` stops being redeemable, or null if never.
 * A fixed date is valid through that whole day in UTC: the server has no store time zone yet,
 * and a customer reading "valid until 31 December" expects to redeem on the 31st.
 */
export function expiryOf(
  template: Pick<ProductTemplate, 'validity'>,
  issuedAt: string,
): string | null {
  const validity = template.validity;
  if (validity === null) return null;
  if (validity.kind === 'days') {
    const issued = Date.parse(issuedAt);
    if (Number.isNaN(issued)) throw new RangeError(`Not an ISO timestamp: ${issuedAt}`);
    return new Date(issued + validity.days * DAY_MS).toISOString();
  }
  return new Date(Date.parse(`${validity.date}T00:00:00.000Z`) + DAY_MS).toISOString();
}
