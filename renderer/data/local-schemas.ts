import { z } from 'zod';
import { DocumentId, Timestamp } from '../../shared/schemas/common.ts';
import { Discount } from '../../shared/pricing/discount.ts';
import { CardPayment, Gift } from '../../shared/schemas/sale.ts';

/** Documents that never leave this terminal. They live in RxDB so a crash or reload loses nothing. */

export const OPEN_CART_ID = 'open';

/** The open cart. `pendingSaleId` is set just before the sale is written, so a crash in between is recoverable. */
export const CartDoc = z.strictObject({
  id: DocumentId,
  lines: z
    .array(
      z.strictObject({
        productId: DocumentId,
        quantity: z.number().int().min(1).max(500),
        /** Set with "Gift…" on the line; kept here so a reload does not lose what the buyer said. */
        gift: Gift.optional(),
        /** A discount the cashier gave on this line (version 2). */
        discount: Discount.optional(),
      }),
    )
    .max(100),
  /** A discount on the whole cart (version 2). */
  cartDiscount: Discount.optional(),
  /**
   * Card payments already captured for this cart (version 2). Kept here, in the same document as
   * `pendingSaleId`, so money taken from a card is never forgotten if the till crashes before
   * the sale is written: on restart the cart still shows it as paid.
   */
  cardPayments: z.array(CardPayment).max(10).optional(),
  pendingSaleId: DocumentId.optional(),
  updatedAt: Timestamp,
});
export type CartDoc = z.infer<typeof CartDoc>;

export const ISSUING_COUNTER_ID = 'issuing';

/**
 * The terminal's counters: receipt numbers and code serials. Reserved with an atomic
 * read-modify-write before a sale is written, so two windows never hand out the same serial.
 */
export const CounterDoc = z.strictObject({
  id: DocumentId,
  terminalId: DocumentId,
  receiptSeq: z.number().int().min(0),
  codeSerial: z.number().int().min(0),
});
export type CounterDoc = z.infer<typeof CounterDoc>;

/** What the server said about each pushed sale: the basis of the "waiting to sync" count. */
export const SyncAckDoc = z.strictObject({
  id: DocumentId,
  outcome: z.enum(['accepted', 'rejected']),
  reason: z.string().max(500).optional(),
  at: Timestamp,
});
export type SyncAckDoc = z.infer<typeof SyncAckDoc>;
