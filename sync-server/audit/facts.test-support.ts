import { randomUUID } from 'node:crypto';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';

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

export function refundOf(sale: Sale, extra: Partial<SaleRefund> = {}): SaleRefund {
  const line = sale.lines[0];
  if (!line) throw new Error('A sale has lines.');
  return {
    id: randomUUID(),
    storeId: sale.storeId,
    terminalId: sale.terminalId,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    lineIds: [line.lineId],
    amount: line.total,
    tenders: [{ method: 'cash', amount: line.total }],
    reason: 'Broken',
    takenOffline: false,
    staffId: 'staff-demo-cashier',
    approvedBy: 'staff-demo-manager',
    createdAt: '2026-11-26T10:06:00.000Z',
    ...extra,
  };
}
