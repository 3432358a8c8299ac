import { z } from 'zod';
import { MinorUnits, addsUpTo } from '../money.ts';
import { DocumentId, Timestamp } from './common.ts';
import { PaymentIntentId } from './sale.ts';

export const RefundTender = z.discriminatedUnion('method', [
  /** Paid out of the drawer at the counter. */
  z.strictObject({ method: z.literal('cash'), amount: MinorUnits.min(1) }),
  /**
   * Back to the card the sale was paid with. `stripeRefundId` is set when the server refunded it
   * while the cashier waited; without it (taken offline) the server refunds it on arrival.
   */
  z.strictObject({
    method: z.literal('card'),
    amount: MinorUnits.min(1),
    paymentIntentId: PaymentIntentId,
    stripeRefundId: z
      .string()
      .regex(/^re_[A-Za-z0-9_]{1,200}$/)
      .optional(),
  }),
]);
export type RefundTender = z.infer<typeof RefundTender>;

const SaleRefundFields = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  terminalId: DocumentId,
  saleId: DocumentId,
  /** The receipt it refunds, as printed. */
  receiptNumber: z.string().regex(/^[0-9A-Z]{4}-\d{6,}$/),
  /** Whole lines: a refund returns each line's `total` and voids every code of those lines. */
  lineIds: z.array(DocumentId).min(1).max(100),
  amount: MinorUnits.min(1),
  tenders: z.array(RefundTender).min(1).max(10),
  reason: z.string().trim().min(1, 'Say why the sale is refunded.').max(300),
  /**
   * The counter could not ask the server whether the codes were still unused. If one was
   * redeemed meanwhile, the server flags the refund for the manager instead of trusting it.
   */
  takenOffline: z.boolean(),
  /** Who refunded it (v4); null only on refunds written before staff sign-in. */
  staffId: DocumentId.nullable(),
  /** The manager whose PIN approved it (v4). */
  approvedBy: DocumentId.nullable(),
  /** The device's clock: recorded, never used for ordering. */
  createdAt: Timestamp,
});

/**
 * A refund is a fact the counter records about one of its own sales (DESIGN invariant 2), like a
 * void: a new immutable document. Several refunds of one sale are allowed, each of other lines.
 */
export const SaleRefund = SaleRefundFields.superRefine((refund, ctx) => {
  if (new Set(refund.lineIds).size !== refund.lineIds.length) {
    ctx.addIssue({ code: 'custom', path: ['lineIds'], message: 'A line is listed twice.' });
  }
  if (
    !addsUpTo(
      refund.tenders.map((tender) => tender.amount),
      refund.amount,
    )
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['tenders'],
      message: 'The refund tenders do not add up to the amount.',
    });
  }
});
export type SaleRefund = z.infer<typeof SaleRefund>;

/** The schema without refinements, for deriving the RxDB JSON schema. */
export const SaleRefundShape = SaleRefundFields;
