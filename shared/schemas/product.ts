import { z } from 'zod';
import { CurrencyCode, MinorUnits } from '../money.ts';
import { ProductTemplate } from '../templates/product-template.ts';
import { DocumentId, Timestamp } from './common.ts';

/** What kind of entitlement a product issues; issue #3 adds the per-kind templates. */
export const ProductKind = z.enum(['gift_card', 'voucher', 'licence', 'ticket']);
export type ProductKind = z.infer<typeof ProductKind>;

/** What a person reads for each kind: on product tiles, receipts and e-mails. */
export const PRODUCT_KIND_LABELS: Record<ProductKind, string> = {
  gift_card: 'Gift card',
  voucher: 'Voucher',
  licence: 'Licence',
  ticket: 'Ticket',
};

/** A catalogue entry. Written by the server only; terminals pull it and sell from it offline. */
export const Product = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  name: z.string().min(1).max(120),
  description: z.string().max(500),
  kind: ProductKind,
  price: MinorUnits,
  currency: CurrencyCode,
  active: z.boolean(),
  /**
   * What a sale of it issues (protocol v2): the counter prints validity and seats from it
   * offline. Null only for a product the back office has not given a template yet.
   */
  template: ProductTemplate.nullable(),
  updatedAt: Timestamp,
});
export type Product = z.infer<typeof Product>;
