import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { forgetDiscountApproval } from '../approval/discount-approval.ts';
import { recordSaleAudit } from '../audit/sale-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';
import type { WrittenSale } from './complete-sale.ts';

/** Sales of this window whose cart is being emptied, by id, with the work still running. */
const settling = new Map<string, Promise<void>>();

/**
 * What follows a stored sale, done while its receipt shows instead of before: the cart
 * emptied, the manager's discount approval forgotten, the sale's audit event written (not marked
 * late: it is written at the time, only after the receipt instead of before it).
 *
 * Nothing here can lose the sale, which is stored already. A crash before the cart is emptied is
 * repaired on the next start (`recoverInterruptedCheckout`: the cart names the written sale), one
 * before the audit event is written gets it then, marked as recorded late (`reconcileSaleAudit`).
 * The cart is emptied by a write queued on this call, before any edit of the cart asked for
 * later, and until it is stored `isSettling` says the cart still shown is the sold one.
 * A failed audit write is left to that start-up repair: the sale is saved and must not say
 * otherwise.
 */
export function settleSale(
  db: EntitleDatabase,
  credentials: Pick<TerminalCredentials, 'storeId' | 'terminalId'>,
  written: WrittenSale,
): Promise<void> {
  const saleId = written.sale.id;
  const cleared = written.clearCart();
  const audited = forgetDiscountApproval(db)
    .then(() => recordSaleAudit(db, credentials, written.sale))
    .catch(() => undefined);
  const done = Promise.all([cleared, audited]).then(
    () => undefined,
    () => undefined,
  );
  const tracked = done.finally(() => {
    settling.delete(saleId);
  });
  settling.set(saleId, tracked);
  return tracked;
}

/** Resolves once the cart of `saleId` is emptied and its audit written (at once if not pending). */
export function saleSettled(saleId: string): Promise<void> {
  return settling.get(saleId) ?? Promise.resolve();
}

/** True while the cart that sold `saleId` is being emptied: show it as empty meanwhile. */
export function isSettling(saleId: string | undefined): boolean {
  return saleId !== undefined && settling.has(saleId);
}
