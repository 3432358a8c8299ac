import { z } from 'zod';
import { CurrencyCode, MinorUnits } from '../money.ts';
import { TaxClass } from '../pricing/tax.ts';
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

/** What a keyboard-wedge scanner types: printable ASCII, no spaces. */
export const Barcode = z
  .string()
  .regex(/^[!-~]{4,48}$/, 'A barcode is 4 to 48 letters, digits or symbols, without spaces.');

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
  /** Printed on the item (EAN/UPC or the shop's own): a scanner types it at the till (v3). */
  barcode: Barcode.nullable(),
  /** The tax the price carries or adds (v3); null for goods outside tax, such as gift cards. */
  taxClass: TaxClass.nullable(),
  updatedAt: Timestamp,
});
export type Product = z.infer<typeof Product>;
