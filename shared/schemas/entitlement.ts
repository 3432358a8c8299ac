import { z } from 'zod';
import { EntitlementCode } from '../code/entitlement-code.ts';
import { DocumentId, Timestamp } from './common.ts';
import { ProductKind } from './product.ts';

/**
 * The lifecycle of DESIGN.md. `issued` exists only on the counter (the sale has not synced);
 * every later state is written by the server and pulled by the terminals.
 */
export const EntitlementState = z.enum([
  'issued',
  'known',
  'claimed',
  'onboarded',
  'active',
  'consumed',
  'expired',
  'voided',
]);
export type EntitlementState = z.infer<typeof EntitlementState>;

const TRANSITIONS: Record<EntitlementState, readonly EntitlementState[]> = {
  issued: ['known', 'voided'],
  known: ['claimed', 'consumed', 'expired', 'voided'],
  claimed: ['onboarded', 'expired', 'voided'],
  onboarded: ['active', 'expired', 'voided'],
  active: ['consumed', 'expired', 'voided'],
  consumed: [],
  expired: [],
  voided: [],
};

export function canTransition(from: EntitlementState, to: EntitlementState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What a person reads for each state, on the receipt screen and the redemption page. */
export const ENTITLEMENT_STATE_LABELS: Record<EntitlementState, string> = {
  issued: 'Issued, not yet synced',
  known: 'Ready to redeem',
  claimed: 'Claimed',
  onboarded: 'Registered',
  active: 'Active',
  consumed: 'Redeemed',
  expired: 'Expired',
  voided: 'Voided',
};

/** The server's view of one code. Written by the server only; terminals pull it. */
export const EntitlementStatus = z.strictObject({
  code: EntitlementCode,
  storeId: DocumentId,
  saleId: DocumentId,
  productId: DocumentId,
  productName: z.string().min(1).max(120),
  kind: ProductKind,
  state: EntitlementState.exclude(['issued']),
  consumedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});
export type EntitlementStatus = z.infer<typeof EntitlementStatus>;
