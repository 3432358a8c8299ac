import { z } from 'zod';
import { DocumentId, Timestamp } from './common.ts';

/**
 * A void is a fact the counter records about one of its own sales (DESIGN invariant 2): a new
 * immutable document, never an edit of the sale. On the server it voids every code of the sale
 * that is not consumed yet and tells the customers who claimed them.
 */
export const SaleVoid = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  terminalId: DocumentId,
  saleId: DocumentId,
  /** The receipt it voids, as printed: what a manager reads in the audit. */
  receiptNumber: z.string().regex(/^[0-9A-Z]{4}-\d{6,}$/),
  reason: z.string().trim().min(1, 'Say why the sale is voided.').max(300),
  /** Who voided it (v4); null only on voids written before staff sign-in. */
  staffId: DocumentId.nullable(),
  /** The manager whose PIN approved it (v4): the staff member themselves when a manager voids. */
  approvedBy: DocumentId.nullable(),
  /** The device's clock: recorded, never used for ordering. */
  createdAt: Timestamp,
});
export type SaleVoid = z.infer<typeof SaleVoid>;
