import { z } from 'zod';
import { EntitlementState } from './entitlement.ts';
import { DocumentId } from './common.ts';
import { PaymentIntentId } from './sale.ts';

/** POST /api/v1/sales/:saleId/refund-check: may these lines be refunded now? */
export const RefundCheckRequest = z.strictObject({
  lineIds: z.array(DocumentId).min(1).max(100),
});
export type RefundCheckRequest = z.infer<typeof RefundCheckRequest>;

/**
 * Per code, its state on the server. `usedCodes` are the ones that block the refund (consumed:
 * the customer already had what was paid for). `saleKnown` false: the sale has not synced, so
 * nobody can have used its codes online yet.
 */
export const RefundCheckResponse = z.strictObject({
  saleKnown: z.boolean(),
  codes: z.array(z.strictObject({ code: z.string(), lineId: DocumentId, state: EntitlementState })),
  usedCodes: z.array(z.string()),
});
export type RefundCheckResponse = z.infer<typeof RefundCheckResponse>;

/** POST /api/v1/payments/refunds: give card money back while the cashier waits. */
export const CardRefundRequest = z.strictObject({
  refundId: DocumentId,
  saleId: DocumentId,
  paymentIntentId: PaymentIntentId,
  amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type CardRefundRequest = z.infer<typeof CardRefundRequest>;

export const CardRefundResponse = z.strictObject({
  stripeRefundId: z.string().regex(/^re_[A-Za-z0-9_]{1,200}$/),
  status: z.string(),
});
export type CardRefundResponse = z.infer<typeof CardRefundResponse>;

/** GET /api/v1/refunds/flagged: refunds a manager must look at. */
export const FlaggedRefund = z.strictObject({
  id: DocumentId,
  saleId: DocumentId,
  receiptNumber: z.string(),
  amount: z.number().int(),
  flag: z.string(),
  takenOffline: z.boolean(),
  createdAt: z.string(),
});
export type FlaggedRefund = z.infer<typeof FlaggedRefund>;
