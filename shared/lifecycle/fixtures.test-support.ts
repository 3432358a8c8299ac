import { ProductTemplate } from '../templates/product-template.ts';
import { apply } from './apply.ts';
import {
  type EntitlementEvent,
  type EntitlementSnapshot,
  issueEntitlement,
} from './entitlement-events.ts';

export const ISSUED_AT = '2026-11-26T10:00:00Z';

export const TEMPLATES = {
  giftCard: ProductTemplate.parse({
    kind: 'gift_card',
    initialBalance: 5000,
    currency: 'EUR',
    validity: { kind: 'days', days: 365 },
    fulfilment: { action: 'none' },
  }),
  voucher: ProductTemplate.parse({
    kind: 'voucher',
    validity: { kind: 'days', days: 30 },
    fulfilment: { action: 'webhook', url: 'https://lab.example.com/hook' },
  }),
  licence: ProductTemplate.parse({
    kind: 'licence',
    seats: 5,
    validity: null,
    fulfilment: { action: 'licence-file' },
  }),
  ticket: ProductTemplate.parse({
    kind: 'ticket',
    eventName: 'Spring concert',
    eventDate: '2027-04-01T19:30:00Z',
    validity: { kind: 'until', date: '2027-04-01' },
    fulfilment: { action: 'none' },
  }),
};

export const SUBJECT = {
  fullName: 'Ada Lovelace',
  dateOfBirth: '1990-12-10',
  contact: 'ada@example.com',
};

/** Applies events in order and fails loudly on the first refusal: for readable happy paths. */
export function run(
  template: ProductTemplate,
  events: readonly EntitlementEvent[],
): EntitlementSnapshot {
  let snapshot = issueEntitlement(template, ISSUED_AT);
  for (const event of events) {
    const result = apply(snapshot, event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.reason}`);
    snapshot = result.next;
  }
  return snapshot;
}
