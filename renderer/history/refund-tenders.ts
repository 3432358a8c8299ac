import { formatMoney, sumMoney, type MinorUnits } from '../../shared/money.ts';
import type { CardPayment, Sale } from '../../shared/schemas/sale.ts';
import type { RefundTender, SaleRefund } from '../../shared/schemas/sale-refund.ts';

/**
 * How a refund goes back, "to the original tender": card first, then cash.
 * 1. Each card payment of the sale, in the order it was taken, gets back up to what it paid
 *    minus what earlier refunds already returned to it.
 * 2. Whatever is left is cash from the drawer.
 * Card first because card money returns to the customer's account without touching the drawer
 * and matches what their bank statement shows; cash covers the rest, never more than cash paid
 * (the server refuses more: refunds/refund-rules.ts). A sale paid only in cash is refunded in cash.
 */
export function planRefundTenders(
  sale: Pick<Sale, 'payments'>,
  earlier: readonly Pick<SaleRefund, 'tenders'>[],
  amount: MinorUnits,
): RefundTender[] {
  const tenders: RefundTender[] = [];
  let left = amount;
  for (const payment of sale.payments) {
    if (payment.method !== 'card' || left === 0) continue;
    const already = sumMoney(
      earlier.flatMap((refund) =>
        refund.tenders.flatMap((tender) =>
          tender.method === 'card' && tender.paymentIntentId === payment.paymentIntentId
            ? [tender.amount]
            : [],
        ),
      ),
    );
    const back = Math.min(left, Math.max(0, payment.amount - already));
    if (back === 0) continue;
    tenders.push({ method: 'card', amount: back, paymentIntentId: payment.paymentIntentId });
    left -= back;
  }
  if (left > 0) tenders.push({ method: 'cash', amount: left });
  return tenders;
}

function cardName(payment: CardPayment | undefined): string {
  if (!payment) return 'the card';
  const brand = payment.brand
    ? `${(payment.brand[0] ?? '').toUpperCase()}${payment.brand.slice(1)}`
    : 'Card';
  return payment.last4 ? `${brand} •••• ${payment.last4}` : brand;
}

/** "€20.00 to Visa •••• 4242, €5.00 cash from the drawer": what the cashier reads before confirming. */
export function describeRefundTenders(
  sale: Pick<Sale, 'payments' | 'currency'>,
  tenders: readonly RefundTender[],
): string {
  return tenders
    .map((tender) => {
      const money = formatMoney(tender.amount, sale.currency);
      if (tender.method === 'cash') return `${money} cash from the drawer`;
      const payment = sale.payments.find(
        (one): one is CardPayment =>
          one.method === 'card' && one.paymentIntentId === tender.paymentIntentId,
      );
      return `${money} to ${cardName(payment)}`;
    })
    .join(', ');
}
