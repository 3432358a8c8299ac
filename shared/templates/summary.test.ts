import { describe, expect, it } from 'vitest';
import { ProductTemplate } from './product-template.ts';
import { codeCardNotes, templateSummary } from './summary.ts';

const none = { action: 'none' } as const;
const giftCard = ProductTemplate.parse({
  kind: 'gift_card',
  initialBalance: 2500,
  currency: 'EUR',
  validity: { kind: 'days', days: 365 },
  fulfilment: none,
});
const voucher = ProductTemplate.parse({ kind: 'voucher', validity: null, fulfilment: none });
const licence = ProductTemplate.parse({
  kind: 'licence',
  seats: 5,
  validity: null,
  fulfilment: { action: 'licence-file' },
});
const ticket = ProductTemplate.parse({
  kind: 'ticket',
  eventName: 'Winter Gala',
  eventDate: '2026-12-19T19:30:00Z',
  validity: { kind: 'until', date: '2026-12-19' },
  fulfilment: none,
});

describe('templateSummary', () => {
  it('says nothing for a product without a template', () => {
    expect(templateSummary('voucher', null)).toBeNull();
  });

  it('names what each kind issues in a few words', () => {
    expect(templateSummary('gift_card', giftCard)).toBe('Gift card · €25 balance');
    expect(templateSummary('voucher', voucher)).toBe('Voucher · for one person');
    expect(templateSummary('licence', licence)).toBe('Licence · 5 seats');
    expect(templateSummary('ticket', ticket)).toBe('Ticket · Winter Gala, 19 Dec');
  });

  it('keeps cents that are there and says one seat in the singular', () => {
    expect(
      templateSummary('gift_card', { ...giftCard, initialBalance: 2550 } as ProductTemplate),
    ).toBe('Gift card · €25.50 balance');
    expect(templateSummary('licence', { ...licence, seats: 1 } as ProductTemplate)).toBe(
      'Licence · 1 seat',
    );
  });
});

describe('codeCardNotes', () => {
  it('prints nothing without a template or a validity', () => {
    expect(codeCardNotes(null, '2026-11-27T10:00:00.000Z')).toEqual([]);
    expect(codeCardNotes(voucher, '2026-11-27T10:00:00.000Z')).toEqual([]);
  });

  it('counts days of validity from the sale', () => {
    expect(codeCardNotes(giftCard, '2026-11-27T10:00:00.000Z')).toEqual([
      'Valid until 27 Nov 2027',
    ]);
  });

  it('gives a ticket its event and the last valid day of a fixed date', () => {
    expect(codeCardNotes(ticket, '2026-11-27T10:00:00.000Z')).toEqual([
      'Winter Gala · 19 Dec 2026',
      'Valid until 19 Dec 2026',
    ]);
  });
});
