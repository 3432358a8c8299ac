import { formatMoney } from '../../shared/money.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { findIntentRow } from './intent-rows.ts';

/**
 * A sale's card payments must be money this server saw captured for this very sale: the
 * PaymentIntent was created here for the same store and sale, is captured, was not voided, and
 * captured exactly the payment's amount. Returns why not, or null when every card payment holds.
 */
export async function cardPaymentProblem(db: DbOrTrx, sale: Sale): Promise<string | null> {
  for (const payment of sale.payments) {
    if (payment.method !== 'card') continue;
    const row = await findIntentRow(db, payment.paymentIntentId);
    const which = `Card payment ${payment.paymentIntentId} of sale ${sale.receiptNumber}`;
    if (!row || row.storeId !== sale.storeId || row.saleId !== sale.id) {
      return `${which} was not taken through this server for this sale. Tell a manager.`;
    }
    if (row.status !== 'succeeded') {
      return `${which} was never captured (it is ${row.status}). Tell a manager.`;
    }
    if (row.amountRefunded > 0) {
      return `${which} was cancelled and refunded before the sale closed. Tell a manager.`;
    }
    if (row.amountCaptured !== payment.amount) {
      return `${which} says ${formatMoney(payment.amount, sale.currency)}, but ${formatMoney(row.amountCaptured, sale.currency)} was captured. Tell a manager.`;
    }
  }
  return null;
}
