import type { AuditDetail, AuditEvent, AuditKind } from '../audit/audit-event.ts';
import type { ProductKind } from '../schemas/product.ts';
import type { Payment, Sale } from '../schemas/sale.ts';
import type { SaleRefund } from '../schemas/sale-refund.ts';
import type { SaleVoid } from '../schemas/sale-void.ts';

/**
 * Facts for shift report tests. The report reads figures, not hashes, so events carry dummy
 * hashes; sales are priced simply (no tax, no discount unless asked) and still add up.
 */
export const TERMINAL = 'term-1';
export const STORE = 'store-1';
export const SHIFT = 'shift-1';
const HASH = 'a'.repeat(64);

export function eventAt(
  seq: number,
  kind: AuditKind,
  detail: AuditDetail,
  options: { subjectId?: string | null; staffId?: string | null; at?: string } = {},
): AuditEvent {
  return {
    id: `${TERMINAL}_${String(seq)}`,
    storeId: STORE,
    terminalId: TERMINAL,
    seq,
    prevHash: HASH,
    hash: HASH,
    kind,
    staffId: options.staffId === undefined ? 'staff-alex' : options.staffId,
    subjectId: options.subjectId === undefined ? SHIFT : options.subjectId,
    detail,
    createdAt: options.at ?? `2026-11-27T09:${String(seq).padStart(2, '0')}:00.000Z`,
  };
}

export function cash(amount: number, tendered = amount, rounding = 0): Payment {
  return { method: 'cash', amount, rounding, tendered, change: tendered - amount - rounding };
}

export function card(amount: number): Payment {
  return { method: 'card', amount, paymentIntentId: `pi_${String(amount)}` };
}

let codeSeq = 0;

export function saleOf(
  n: number,
  options: {
    payments?: Payment[];
    total?: number;
    shiftId?: string | null;
    staffId?: string | null;
    kind?: ProductKind;
    productId?: string;
    quantity?: number;
    discountTotal?: number;
    at?: string;
  } = {},
): Sale {
  const total = options.total ?? 1000;
  const quantity = options.quantity ?? 1;
  const discountTotal = options.discountTotal ?? 0;
  const productId = options.productId ?? 'prod-voucher';
  const codes = Array.from({ length: quantity }, () => {
    codeSeq += 1;
    return `AB12${String(codeSeq).padStart(20, '0')}`;
  });
  return {
    id: `sale-${String(n)}`,
    storeId: STORE,
    terminalId: TERMINAL,
    terminalPrefix: 'AB12',
    receiptNumber: `AB12-${String(n).padStart(6, '0')}`,
    createdAt: options.at ?? `2026-11-27T09:30:${String(n % 60).padStart(2, '0')}.000Z`,
    currency: 'EUR',
    lines: [
      {
        lineId: `line-${String(n)}`,
        productId,
        name: productId === 'prod-voucher' ? 'Spa voucher' : productId,
        kind: options.kind ?? 'voucher',
        unitPrice: (total + discountTotal) / quantity,
        quantity,
        lineTotal: total + discountTotal,
        discountAmount: discountTotal,
        tax: null,
        total,
        codes,
      },
    ],
    subtotal: total + discountTotal,
    discountTotal,
    taxTotal: 0,
    total,
    payments: options.payments ?? [cash(total)],
    staffId: options.staffId === undefined ? 'staff-alex' : options.staffId,
    shiftId: options.shiftId === undefined ? SHIFT : options.shiftId,
    discountApprovedBy: null,
  };
}

export function voidOf(sale: Sale, at: string, id = `void-${sale.id}`): SaleVoid {
  return {
    id,
    storeId: STORE,
    terminalId: TERMINAL,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    reason: 'Wrong item',
    staffId: 'staff-alex',
    approvedBy: 'staff-morgan',
    createdAt: at,
  };
}

export function refundOf(
  sale: Sale,
  at: string,
  tenders: SaleRefund['tenders'],
  id = `refund-${sale.id}`,
): SaleRefund {
  return {
    id,
    storeId: STORE,
    terminalId: TERMINAL,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    lineIds: sale.lines.map((line) => line.lineId),
    amount: tenders.reduce((total, tender) => total + tender.amount, 0),
    tenders,
    reason: 'Changed their mind',
    takenOffline: false,
    staffId: 'staff-alex',
    approvedBy: 'staff-morgan',
    createdAt: at,
  };
}
