import type { z } from 'zod';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';

type TemplateInput = z.input<typeof ProductTemplate>;

const YEAR = { kind: 'days', days: 365 } as const;
const NONE = { action: 'none' } as const;
const DAY_MS = 86_400_000;
/** The demo gala is always a month ahead of the seed, so demo data never expires on a date. */
const GALA_DAYS_AHEAD = 30;

/**
 * What each demo product issues (templates/); checked by the shared schema when seeded. Dates
 * are computed from the seed time: a fixed date would make the demo, and the tests on it, a
 * time bomb.
 */
export function demoTemplates(seededAt: Date): Readonly<Record<string, TemplateInput>> {
  const galaDay = new Date(seededAt.getTime() + GALA_DAYS_AHEAD * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return {
    'prod-gift-25': {
      kind: 'gift_card',
      initialBalance: 2500,
      currency: 'EUR',
      validity: YEAR,
      fulfilment: NONE,
    },
    'prod-gift-50': {
      kind: 'gift_card',
      initialBalance: 5000,
      currency: 'EUR',
      validity: YEAR,
      fulfilment: NONE,
    },
    // Vouchers take the shared default subject fields (full name, date of birth, e-mail).
    'prod-pcr-test': { kind: 'voucher', validity: { kind: 'days', days: 180 }, fulfilment: NONE },
    'prod-flu-vaccine': { kind: 'voucher', validity: YEAR, fulfilment: NONE },
    'prod-design-suite': {
      kind: 'licence',
      seats: 1,
      validity: YEAR,
      fulfilment: { action: 'licence-file' },
    },
    'prod-team-licence': {
      kind: 'licence',
      seats: 25,
      validity: YEAR,
      fulfilment: { action: 'licence-file' },
    },
    'prod-winter-gala': {
      kind: 'ticket',
      eventName: 'Winter Gala',
      eventDate: `${galaDay}T19:30:00.000Z`,
      validity: { kind: 'until', date: galaDay },
      fulfilment: NONE,
    },
  };
}
