import { describe, expect, it } from 'vitest';
import { ProductKind } from '../schemas/product.ts';
import { ProductTemplate, expiryOf } from './product-template.ts';

const none = { action: 'none' } as const;
const giftCard = {
  kind: 'gift_card',
  initialBalance: 5000,
  currency: 'EUR',
  validity: { kind: 'days', days: 365 },
  fulfilment: none,
};
const voucher = { kind: 'voucher', validity: null, fulfilment: none };
const licence = {
  kind: 'licence',
  seats: 5,
  validity: null,
  fulfilment: { action: 'licence-file' },
};
const ticket = {
  kind: 'ticket',
  eventName: 'Spring concert',
  eventDate: '2027-04-01T19:30:00Z',
  validity: { kind: 'until', date: '2027-04-01' },
  fulfilment: { action: 'webhook', url: 'https://tickets.example.com/hook' },
};

function messageOf(input: unknown): string | undefined {
  const result = ProductTemplate.safeParse(input);
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe('product templates', () => {
  it('cover every product kind', () => {
    const kinds = [giftCard, voucher, licence, ticket].map((t) => ProductTemplate.parse(t).kind);
    expect(kinds.sort()).toEqual([...ProductKind.options].sort());
  });

  it('give vouchers a subject and tickets an attendee by default', () => {
    const parsed = ProductTemplate.parse(voucher);
    expect(parsed.onboarding.map((f) => f.name)).toEqual(['fullName', 'dateOfBirth', 'contact']);
    expect(ProductTemplate.parse(ticket).onboarding.map((f) => f.name)).toEqual(['attendeeName']);
  });

  it.each([
    [{ ...giftCard, initialBalance: 0 }, 'A gift card starts with a balance above zero.'],
    [
      { ...giftCard, initialBalance: 12.5 },
      'Amounts are whole minor units (cents), never fractions.',
    ],
    [{ ...giftCard, currency: 'euro' }, 'A currency is a three-letter ISO 4217 code such as EUR.'],
    [{ ...licence, seats: 1001 }, 'A licence has at most 1000 seats.'],
    [{ ...licence, seats: 2.5 }, 'Seats are a whole number.'],
    [
      { ...voucher, onboarding: [] },
      'A voucher is for someone: declare at least one required subject field.',
    ],
    [
      { ...ticket, onboarding: [] },
      'A ticket asks for the attendee: a required text field attendeeName.',
    ],
    [
      { ...giftCard, fulfilment: { action: 'licence-file' } },
      'Only a licence can be fulfilled with a licence file.',
    ],
    [
      { ...ticket, fulfilment: { action: 'webhook', url: 'http://tickets.example.com' } },
      'A webhook address is a full https:// address.',
    ],
  ])('refuses %j: %s', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it.each([
    [{ ...giftCard, kind: 'coupon' }],
    [{ ...licence, seats: 0 }],
    [{ ...giftCard, validity: { kind: 'days', days: 0 } }],
    [{ ...ticket, validity: { kind: 'until', date: '2027-02-30' } }],
    [{ ...ticket, eventDate: 'next Friday' }],
    [{ ...voucher, surprise: true }],
  ])('refuses malformed %j', (input) => {
    expect(ProductTemplate.safeParse(input).success).toBe(false);
  });
});

describe('expiryOf', () => {
  it.each([
    [null, '2026-11-26T10:00:00Z', null],
    [{ kind: 'days', days: 1 }, '2026-11-26T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    [{ kind: 'days', days: 365 }, '2026-03-01T00:00:00Z', '2027-03-01T00:00:00.000Z'],
    [{ kind: 'days', days: 30 }, '2026-10-20T08:15:30.250Z', '2026-11-19T08:15:30.250Z'],
    [{ kind: 'until', date: '2026-12-31' }, '2026-11-26T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    [{ kind: 'until', date: '2028-02-29' }, '2026-11-26T10:00:00Z', '2028-03-01T00:00:00.000Z'],
  ] as const)('%j issued at %s expires at %s', (validity, issuedAt, expected) => {
    expect(expiryOf({ validity }, issuedAt)).toBe(expected);
  });
});
