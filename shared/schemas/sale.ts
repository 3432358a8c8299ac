import { z } from 'zod';
import { EntitlementCode, TerminalPrefix } from '../code/entitlement-code.ts';
import { CurrencyCode, MinorUnits, addsUpTo } from '../money.ts';
import { cashRoundingIncrement } from '../pricing/cash-rounding.ts';
import { Discount, isDiscountable } from '../pricing/discount.ts';
import { priceSale } from '../pricing/price-sale.ts';
import { LineTax } from '../pricing/tax.ts';
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
  /** unit price × quantity, before discounts. */
  lineTotal: MinorUnits,
  /** The discount the cashier gave on this line, as given (v3). */
  discount: Discount.optional(),
  /** This line's own discount plus its share of the cart discount (v3). */
  discountAmount: MinorUnits,
  /** The tax class the line was sold under and its share of that class's tax (v3). */
  tax: LineTax.nullable(),
  /** What the customer pays for this line; a refund of the line returns exactly this (v3). */
  total: MinorUnits,
  /** One code per unit sold, issued on the counter in the same write as the sale. */
  codes: z.array(EntitlementCode).min(1).max(MAX_QUANTITY_PER_LINE),
  gift: Gift.optional(),
});
export type SaleLine = z.infer<typeof SaleLine>;

/**
 * `amount` is the part of the sale total this payment settles. Where small coins are gone the
 * cash actually kept is `amount + rounding` (rounding is signed, at most half a coin), so the
 * sale total stays exact and the drawer balances: change = tendered − (amount + rounding).
 */
export const CashPayment = z.strictObject({
  method: z.literal('cash'),
  amount: MinorUnits,
  rounding: z.number().int().min(-500).max(500),
  tendered: MinorUnits,
  change: MinorUnits,
});
export type CashPayment = z.infer<typeof CashPayment>;

/** A Stripe PaymentIntent id: what refunds and the audit follow back to Stripe. */
export const PaymentIntentId = z
  .string()
  .regex(/^pi_[A-Za-z0-9_]{1,200}$/, 'Not a PaymentIntent id.');

/**
 * A card-present payment captured through the server (v3). `amount` is what the card actually
 * paid: with a partial approval it is less than was asked and another tender pays the rest.
 */
export const CardPayment = z.strictObject({
  method: z.literal('card'),
  amount: MinorUnits.min(1),
  paymentIntentId: PaymentIntentId,
  brand: z.string().max(30).optional(),
  last4: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  /** Set when the issuer approved less than was asked. */
  partial: z.boolean().optional(),
});
export type CardPayment = z.infer<typeof CardPayment>;

export const Payment = z.discriminatedUnion('method', [CashPayment, CardPayment]);
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
  /** A discount on the whole cart, as given (v3); spread over the lines' discountAmount. */
  cartDiscount: Discount.optional(),
  /** Sum of line totals before discounts (v3). */
  subtotal: MinorUnits,
  discountTotal: MinorUnits,
  taxTotal: MinorUnits,
  /** What the customer pays: the sum of the lines' `total`. */
  total: MinorUnits,
  payments: z.array(Payment).min(1).max(10),
  buyerEmail: Email.optional(),
  /** Who sold it (v4). Null only on sales written before staff signed in at the counter. */
  staffId: DocumentId.nullable(),
  /** The shift it was sold in (v4); null outside a shift. */
  shiftId: DocumentId.nullable(),
  /** The manager whose PIN allowed a discount above the store's limit (v4); null when none was needed. */
  discountApprovedBy: DocumentId.nullable(),
});

/**
 * A completed sale: one immutable document holding its lines, payments and every code it issued
 * (DESIGN invariant 1). The refinements are the arithmetic a till must never get wrong; the
 * counter checks them before writing and the server again before accepting.
 */
export const Sale = SaleFields.superRefine((sale, ctx) => {
  checkCodes(sale, ctx);
  checkPricing(sale, ctx);
  checkPayments(sale, ctx);
});
export type Sale = z.infer<typeof Sale>;

/** The schema without refinements, for deriving the RxDB JSON schema. */
export const SaleShape = SaleFields;

export function codesOfSale(sale: Pick<Sale, 'lines'>): string[] {
  return sale.lines.flatMap((line) => line.codes);
}

type SaleFields = z.infer<typeof SaleFields>;

function classOf({ amount: _amount, ...taxClass }: LineTax): Omit<LineTax, 'amount'> {
  return taxClass;
}
type Issues = z.RefinementCtx;

function checkCodes(sale: SaleFields, ctx: Issues): void {
  const codes = new Set<string>();
  sale.lines.forEach((line, index) => {
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
}

/** Re-prices the sale with the shared rule and insists on every figure it carries. */
function checkPricing(sale: SaleFields, ctx: Issues): void {
  let expected;
  try {
    expected = priceSale(
      sale.lines.map((line) => ({
        unitPrice: line.unitPrice,
        quantity: line.quantity,
        discount: line.discount,
        taxClass: line.tax ? classOf(line.tax) : null,
        discountable: isDiscountable(line.kind),
      })),
      sale.cartDiscount,
    );
  } catch {
    ctx.addIssue({ code: 'custom', path: ['total'], message: 'The amounts are too large.' });
    return;
  }
  const fields = ['lineTotal', 'discountAmount', 'total'] as const;
  sale.lines.forEach((line, index) => {
    if (line.discount && !isDiscountable(line.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index, 'discount'],
        message: 'A gift card is sold at face value and takes no discount.',
      });
    }
    const priced = expected.lines[index];
    if (!priced) return;
    for (const field of fields) {
      if (line[field] !== priced[field]) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, field],
          message: `Line ${field} should be ${String(priced[field])}.`,
        });
      }
    }
    if ((line.tax?.amount ?? null) !== (priced.tax?.amount ?? null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index, 'tax'],
        message: `Line tax should be ${String(priced.tax?.amount ?? 0)}.`,
      });
    }
  });
  for (const field of ['subtotal', 'discountTotal', 'taxTotal', 'total'] as const) {
    if (sale[field] !== expected[field]) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `Sale ${field} should be ${String(expected[field])}.`,
      });
    }
  }
}

function checkPayments(sale: SaleFields, ctx: Issues): void {
  if (
    !addsUpTo(
      sale.payments.map((payment) => payment.amount),
      sale.total,
    )
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['payments'],
      message: 'Payments do not add up to the total.',
    });
  }
  const increment = cashRoundingIncrement(sale.currency);
  const cardIntents = new Set<string>();
  sale.payments.forEach((payment, index) => {
    if (payment.method === 'card') {
      if (cardIntents.has(payment.paymentIntentId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['payments', index, 'paymentIntentId'],
          message: 'One card payment appears twice.',
        });
      }
      cardIntents.add(payment.paymentIntentId);
      return;
    }
    if (Math.abs(payment.rounding) * 2 > increment) {
      ctx.addIssue({
        code: 'custom',
        path: ['payments', index, 'rounding'],
        message: `Cash rounding in ${sale.currency} is at most half of ${String(increment)}.`,
      });
    }
    if (payment.tendered - (payment.amount + payment.rounding) !== payment.change) {
      ctx.addIssue({
        code: 'custom',
        path: ['payments', index, 'change'],
        message: 'Change is not tendered minus the cash due.',
      });
    }
  });
}
