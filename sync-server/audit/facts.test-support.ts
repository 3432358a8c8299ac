import { randomUUID } from 'node:crypto';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { refundOf as refundOfLines } from '../refunds/test-support.ts';

/** Test support: voids and refunds of a test sale, by the demo cashier, approved by the demo manager. */

export function voidOf(sale: Sale, extra: Partial<SaleVoid> = {}): SaleVoid {
  return {
    id: randomUUID(),
    storeId: sale.storeId,
    terminalId: sale.terminalId,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    reason: 'Customer changed their mind',
    staffId: 'staff-demo-cashier',
    approvedBy: 'staff-demo-manager',
    createdAt: '2026-11-26T10:05:00.000Z',
    ...extra,
  };
}

/** A cash refund of the sale's first line (refunds/test-support's refundOf, with demo staff). */
export function refundOf(sale: Sale, extra: Partial<SaleRefund> = {}): SaleRefund {
  if (!sale.lines[0]) throw new Error('A sale has lines.');
  return refundOfLines(sale, [0], {
    reason: 'Broken',
    staffId: 'staff-demo-cashier',
    approvedBy: 'staff-demo-manager',
    createdAt: '2026-11-26T10:06:00.000Z',
    ...extra,
  });
}
