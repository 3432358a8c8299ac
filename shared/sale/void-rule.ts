import type { Sale } from '../schemas/sale.ts';

/**
 * Whether a whole sale may be voided, or why not. A void cancels the sale's codes but moves no
 * money, so it is only for a sale paid in cash that nothing has been refunded from yet: the
 * cashier hands the cash back from the drawer. A card sale is undone with a refund, which puts
 * the money back on the card; a sale with refunds is finished with a refund of the other lines.
 * The counter and the server both ask this.
 */
export function voidRefusal(
  sale: Pick<Sale, 'receiptNumber' | 'payments'>,
  hasRefunds: boolean,
): string | null {
  if (sale.payments.some((payment) => payment.method === 'card')) {
    return `Receipt ${sale.receiptNumber} was paid by card. Use Refund instead: it puts the money back on the card and stops the codes.`;
  }
  if (hasRefunds) {
    return `Receipt ${sale.receiptNumber} has been partly refunded. Refund the other lines instead of voiding it.`;
  }
  return null;
}
