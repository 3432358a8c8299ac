import { z } from 'zod';
import { EntitlementCode, TerminalPrefix } from '../code/entitlement-code.ts';
import { CurrencyCode, MinorUnits, multiplyMoney, sumMoney } from '../money.ts';
import { DocumentId, Email, Timestamp } from './common.ts';
import { ProductKind } from './product.ts';

export const MAX_LINES_PER_SALE = 100;
export const MAX_QUANTITY_PER_LINE = 500;

/**
 * A line bought for someone else: the recipient is e-mailed the codes on `sendOn` (a calendar
 * date, sent from midnight UTC; today or absent means as soon as the sale syncs). The buyer's
 * account shows the codes as given.
 */
export const Gift = z.strictObject({
  recipientEmail: Email,
  sendOn: z.iso.date('A send date is written as YYYY-MM-DD.').optional(),
  message: z.string().trim().max(300).optional(),
});
export type Gift = z.infer<typeof Gift>;

export const SaleLine = z.strictObject({
  lineId: DocumentId,
  productId: DocumentId,
  name: z.string().min(1).max(120),
  kind: ProductKind,
  unitPrice: MinorUnits,
  quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE),
  lineTotal: MinorUnits,
  /** One code per unit sold, issued on the counter in the same write as the sale. */
  codes: z.array(EntitlementCode).min(1).max(MAX_QUANTITY_PER_LINE),
  gift: Gift.optional(),
});
export type SaleLine = z.infer<typeof SaleLine>;

export const CashPayment = z.strictObject({
  method: z.literal('cash'),
  amount: MinorUnits,
  tendered: MinorUnits,
  change: MinorUnits,
});
export const Payment = z.discriminatedUnion('method', [CashPayment]);
export type Payment = z.infer<typeof Payment>;

const SaleFields = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  terminalId: DocumentId,
  terminalPrefix: TerminalPrefix,
  /** Per-terminal and sequential: "A1B2-000042". */
  receiptNumber: z.string().regex(/^[0-9A-Z]{4}-\d{6,}$/),
  createdAt: Timestamp,
  currency: CurrencyCode,
  lines: z.array(SaleLine).min(1).max(MAX_LINES_PER_SALE),
  total: MinorUnits,
  payments: z.array(Payment).min(1).max(10),
  buyerEmail: Email.optional(),
});

/**
 * A completed sale: one immutable document holding its lines, payments and every code it issued
 * (DESIGN invariant 1). The refinements are the arithmetic a till must never get wrong; the
 * counter checks them before writing and the server again before accepting.
 */
export const Sale = SaleFields.superRefine((sale, ctx) => {
  const codes = new Set<string>();
  sale.lines.forEach((line, index) => {
    if (line.lineTotal !== multiplyMoney(line.unitPrice, line.quantity)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index, 'lineTotal'],
        message: 'Line total is not unit price × quantity.',
      });
    }
    if (line.codes.length !== line.quantity) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index, 'codes'],
        message: 'A line carries one code per unit sold.',
      });
    }
    for (const code of line.codes) {
      if (codes.has(code))
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'codes'],
          message: `Code ${code} appears twice.`,
        });
      if (!code.startsWith(sale.terminalPrefix)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'codes'],
          message: `Code ${code} was not issued by this terminal.`,
        });
      }
      codes.add(code);
    }
  });
  if (sale.total !== sumMoney(sale.lines.map((line) => line.lineTotal))) {
    ctx.addIssue({
      code: 'custom',
      path: ['total'],
      message: 'Sale total is not the sum of its lines.',
    });
  }
  if (sumMoney(sale.payments.map((payment) => payment.amount)) !== sale.total) {
    ctx.addIssue({
      code: 'custom',
      path: ['payments'],
      message: 'Payments do not add up to the total.',
    });
  }
  sale.payments.forEach((payment, index) => {
    if (payment.tendered - payment.amount !== payment.change) {
      ctx.addIssue({
        code: 'custom',
        path: ['payments', index, 'change'],
        message: 'Change is not tendered minus amount.',
      });
    }
  });
});
export type Sale = z.infer<typeof Sale>;

/** The schema without refinements, for deriving the RxDB JSON schema. */
export const SaleShape = SaleFields;

export function codesOfSale(sale: Pick<Sale, 'lines'>): string[] {
  return sale.lines.flatMap((line) => line.codes);
}
