import { formatCode } from '../code/entitlement-code.ts';
import { formatMoney, sumMoney } from '../money.ts';
import { describeDiscount } from '../pricing/discount.ts';
import { describeTaxClass, taxGroupKey } from '../pricing/tax.ts';
import type { EntitlementState, EntitlementStatus } from '../schemas/entitlement.ts';
import { ENTITLEMENT_STATE_LABELS } from '../schemas/entitlement.ts';
import { PRODUCT_KIND_LABELS } from '../schemas/product.ts';
import type { Sale } from '../schemas/sale.ts';
import type { SaleRefund } from '../schemas/sale-refund.ts';
import type { SaleVoid } from '../schemas/sale-void.ts';
import { giftReceiptNote } from '../sale/gift.ts';
import { codeCardNotes, templateSummary } from '../templates/summary.ts';
import type { ProductTemplate } from '../templates/product-template.ts';

/**
 * One receipt, as data. The screen, the printed page (HTML → Electron print / PDF), the thermal
 * printer (ESC/POS) and the buyer's e-mail all render this, so they never disagree about a
 * figure or a code. Money is already formatted here: every output shows the same text.
 */
export type Receipt = {
  readonly storeName: string;
  readonly terminalName: string;
  readonly receiptNumber: string;
  /** "Served by Alex": the staff member who made the sale; null when not known (before v4). */
  readonly servedBy: string | null;
  /** ISO instant of the sale; each output formats it for its reader. */
  readonly createdAt: string;
  readonly currency: string;
  readonly lines: readonly ReceiptLine[];
  readonly totals: ReceiptTotals;
  readonly payments: readonly ReceiptPayment[];
  /** True when any payment was cash: the thermal printer opens the drawer. */
  readonly paidInCash: boolean;
  readonly codes: readonly ReceiptCode[];
  readonly voided: { readonly at: string; readonly reason: string } | null;
  readonly refunds: readonly ReceiptRefund[];
};

export type ReceiptLine = {
  readonly lineId: string;
  /** "2 × Spa voucher". */
  readonly label: string;
  /** "10% off" or "€5.00 off" when the cashier gave this line a discount. */
  readonly discount: string | null;
  /** "Gift for ana@example.com — e-mailed today". */
  readonly giftNote: string | null;
  /** What the customer pays for the line, after discounts. */
  readonly amount: string;
  /** Before discounts, shown when it differs from `amount`. */
  readonly listAmount: string | null;
};

export type ReceiptTotals = {
  readonly subtotal: string;
  /** "Discounts −€5.00", with the cart discount's own description; null without discounts. */
  readonly discounts: { readonly label: string; readonly amount: string } | null;
  /** One row per tax class: "VAT 20% incl." / "€3.33". */
  readonly taxes: readonly { readonly label: string; readonly amount: string }[];
  readonly total: string;
};

export type ReceiptPayment = {
  /** "Cash", "Card Visa •••• 4242", "Card •••• 4242 (partial approval)". */
  readonly label: string;
  readonly amount: string;
  /** Extra rows under the payment: "Tendered €50.00", "Change €2.50", "Rounding −€0.02". */
  readonly details: readonly string[];
};

export type ReceiptCode = {
  readonly code: string;
  /** As printed: six groups of four. */
  readonly formatted: string;
  readonly productName: string;
  /** "Ticket · Winter Gala, 19 Dec" (template summary) or the product kind. */
  readonly summary: string;
  /** From the template: the event, "Valid until …". */
  readonly notes: readonly string[];
  /** "Scan the QR code or go to shop.example/redeem and type the code." */
  readonly howToRedeem: string;
  /** `<redeemBaseUrl>/<code>`: what the QR code encodes and the e-mail links to. */
  readonly url: string;
  readonly state: EntitlementState;
  readonly stateLabel: string;
  /** Set for a gift line's codes: they go to the recipient, not in the buyer's e-mail. */
  readonly giftFor: string | null;
};

export type ReceiptRefund = {
  readonly at: string;
  readonly amount: string;
  readonly reason: string;
  readonly lines: readonly string[];
};

export type ReceiptInput = {
  readonly sale: Sale;
  readonly store: { readonly name: string };
  readonly terminalName: string;
  /** The name of the staff member who made the sale, when known. */
  readonly servedBy?: string | null;
  /** e.g. "https://shop.example/redeem"; a trailing slash is ignored. */
  readonly redeemBaseUrl: string;
  /** By product id; a product without a template (or not known) maps to null. */
  readonly templates: ReadonlyMap<string, ProductTemplate | null>;
  /** By code: the server's view, when synced. */
  readonly statuses?: ReadonlyMap<string, Pick<EntitlementStatus, 'state'>>;
  readonly voided?: SaleVoid | null;
  readonly refunds?: readonly SaleRefund[];
};

/** The same URL the on-screen receipt and the e-mail link to, and the QR code encodes. */
export function redeemUrlOf(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/${code}`;
}

function withoutScheme(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export function buildReceipt(input: ReceiptInput): Receipt {
  const { sale } = input;
  const money = (amount: number): string => formatMoney(amount, sale.currency);
  const lineById = new Map(sale.lines.map((line) => [line.lineId, line]));
  return {
    storeName: input.store.name,
    terminalName: input.terminalName,
    receiptNumber: sale.receiptNumber,
    servedBy: input.servedBy ?? null,
    createdAt: sale.createdAt,
    currency: sale.currency,
    lines: sale.lines.map((line) => {
      const beforeDiscounts = line.lineTotal;
      return {
        lineId: line.lineId,
        label: `${String(line.quantity)} × ${line.name}`,
        discount: line.discount ? describeDiscount(line.discount, sale.currency) : null,
        giftNote: line.gift ? giftReceiptNote(line.gift) : null,
        amount: money(line.total),
        listAmount: beforeDiscounts === line.total ? null : money(beforeDiscounts),
      };
    }),
    totals: {
      subtotal: money(sale.subtotal),
      discounts:
        sale.discountTotal === 0
          ? null
          : {
              label: sale.cartDiscount
                ? `Discounts (cart ${describeDiscount(sale.cartDiscount, sale.currency)})`
                : 'Discounts',
              amount: `−${money(sale.discountTotal)}`,
            },
      taxes: taxRows(sale, money),
      total: money(sale.total),
    },
    payments: sale.payments.map((payment) =>
      payment.method === 'cash'
        ? {
            label: 'Cash',
            amount: money(payment.amount),
            details: [
              `Tendered ${money(payment.tendered)}`,
              ...(payment.rounding === 0
                ? []
                : [
                    `Rounding ${payment.rounding > 0 ? '+' : '−'}${money(Math.abs(payment.rounding))}`,
                  ]),
              `Change ${money(payment.change)}`,
            ],
          }
        : {
            label: ['Card', payment.brand, payment.last4 ? `•••• ${payment.last4}` : undefined]
              .filter((part) => part !== undefined && part !== '')
              .join(' '),
            amount: money(payment.amount),
            details: payment.partial ? ['Partial approval'] : [],
          },
    ),
    paidInCash: sale.payments.some((payment) => payment.method === 'cash'),
    codes: sale.lines.flatMap((line) => {
      const template = input.templates.get(line.productId) ?? null;
      const summary = templateSummary(line.kind, template) ?? PRODUCT_KIND_LABELS[line.kind];
      const notes = codeCardNotes(template, sale.createdAt);
      return line.codes.map((code) => {
        const state = input.statuses?.get(code)?.state ?? 'issued';
        return {
          code,
          formatted: formatCode(code),
          productName: line.name,
          summary,
          notes,
          howToRedeem: `Scan the QR code or go to ${withoutScheme(input.redeemBaseUrl)} and type the code.`,
          url: redeemUrlOf(input.redeemBaseUrl, code),
          state,
          stateLabel: ENTITLEMENT_STATE_LABELS[state],
          giftFor: line.gift?.recipientEmail ?? null,
        };
      });
    }),
    voided: input.voided ? { at: input.voided.createdAt, reason: input.voided.reason } : null,
    refunds: (input.refunds ?? []).map((refund) => ({
      at: refund.createdAt,
      amount: money(refund.amount),
      reason: refund.reason,
      lines: refund.lineIds.map((lineId) => {
        const line = lineById.get(lineId);
        return line ? `${String(line.quantity)} × ${line.name}` : lineId;
      }),
    })),
  };
}

/** Tax per class as the pricing rule computed it: the lines' shares summed back per class. */
function taxRows(
  sale: Sale,
  money: (amount: number) => string,
): { label: string; amount: string }[] {
  const groups = new Map<string, { label: string; amounts: number[] }>();
  for (const line of sale.lines) {
    if (line.tax === null) continue;
    const key = taxGroupKey(line.tax);
    const group = groups.get(key) ?? { label: describeTaxClass(line.tax), amounts: [] };
    group.amounts.push(line.tax.amount);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    label: group.label,
    amount: money(sumMoney(group.amounts)),
  }));
}
