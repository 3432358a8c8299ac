import type { z } from 'zod';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';

type TemplateInput = z.input<typeof ProductTemplate>;

const YEAR = { kind: 'days', days: 365 } as const;
const NONE = { action: 'none' } as const;

/** What each demo product issues (templates/); checked by the shared schema when seeded. */
export const DEMO_TEMPLATES: Readonly<Record<string, TemplateInput>> = {
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
  'prod-design-suite': { kind: 'licence', seats: 1, validity: YEAR, fulfilment: NONE },
  'prod-winter-gala': {
    kind: 'ticket',
    eventName: 'Winter Gala',
    eventDate: '2026-12-19T19:30:00.000Z',
    validity: { kind: 'until', date: '2026-12-19' },
    fulfilment: NONE,
  },
};
