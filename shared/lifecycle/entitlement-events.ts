import { z } from 'zod';
import { MinorUnits } from '../money.ts';
import { DocumentId, Timestamp } from '../schemas/common.ts';
import { EntitlementState } from '../schemas/entitlement.ts';
import { ProductTemplate, expiryOf } from '../templates/product-template.ts';
import { LedgerEntry, issueLedger } from './gift-ledger.ts';

const Values = z.record(z.string(), z.string());
const Reason = z.string().trim().min(1).max(500);

/**
 * A claim on a genuine code whose sale has not reached the server yet (DESIGN.md, "Entitlement
 * lifecycle"). The customer may already onboard; the values wait here until the sale arrives.
 */
export const ProvisionalClaim = z.strictObject({
  accountId: DocumentId,
  claimedAt: Timestamp,
  deadline: Timestamp,
  onboarding: Values.nullable(),
});
export type ProvisionalClaim = z.infer<typeof ProvisionalClaim>;

/** Why a provisional claim ended without becoming a claim: the customer is told which. */
export const ProvisionalOutcome = z.enum(['sale-voided', 'timed-out']);

/** Everything the reducer needs to decide the next event; the server stores it per code. */
export const EntitlementSnapshot = z.strictObject({
  template: ProductTemplate,
  state: EntitlementState,
  issuedAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  accountId: DocumentId.nullable(),
  onboarding: Values.nullable(),
  provisional: ProvisionalClaim.nullable(),
  provisionalOutcome: ProvisionalOutcome.nullable(),
  /** Gift cards only; null for every other kind. */
  ledger: z.array(LedgerEntry).nullable(),
  voidReason: Reason.nullable(),
});
export type EntitlementSnapshot = z.infer<typeof EntitlementSnapshot>;

/**
 * What can happen to a code. Events that depend on the time carry it (`at`, `now`): the
 * reducer has no clock of its own, so replaying the same events always gives the same result.
 */
export const EntitlementEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sale-synced') }),
  z.strictObject({
    type: z.literal('provisional-claim'),
    accountId: DocumentId,
    at: Timestamp,
    waitDays: z.int().min(1).max(90),
  }),
  z.strictObject({ type: z.literal('sale-arrived') }),
  z.strictObject({ type: z.literal('sale-arrived-voided'), reason: Reason }),
  z.strictObject({ type: z.literal('provisional-timeout'), now: Timestamp }),
  z.strictObject({ type: z.literal('claim'), accountId: DocumentId, at: Timestamp }),
  z.strictObject({
    type: z.literal('onboard'),
    values: z.record(z.string(), z.unknown()),
    at: Timestamp,
  }),
  z.strictObject({ type: z.literal('activate'), at: Timestamp }),
  z.strictObject({ type: z.literal('consume'), at: Timestamp }),
  z.strictObject({ type: z.literal('spend'), amount: MinorUnits, at: Timestamp }),
  z.strictObject({ type: z.literal('refund'), amount: MinorUnits }),
  z.strictObject({ type: z.literal('expire'), now: Timestamp }),
  z.strictObject({ type: z.literal('void'), reason: Reason }),
]);
export type EntitlementEvent = z.infer<typeof EntitlementEvent>;
export type EntitlementEventType = EntitlementEvent['type'];

/** The snapshot of a code just sold on the counter. */
export function issueEntitlement(template: ProductTemplate, issuedAt: string): EntitlementSnapshot {
  return {
    template,
    state: 'issued',
    issuedAt,
    expiresAt: expiryOf(template, issuedAt),
    accountId: null,
    onboarding: null,
    provisional: null,
    provisionalOutcome: null,
    ledger: template.kind === 'gift_card' ? [...issueLedger(template.initialBalance)] : null,
    voidReason: null,
  };
}
