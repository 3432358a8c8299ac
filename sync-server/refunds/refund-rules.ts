import { formatMoney, sumMoney } from '../../shared/money.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';

/**
 * Why `refund` cannot stand against its stored sale and the refunds of that sale stored before
 * it, or null when it can. Pure, so the push and the late application (when the sale arrives
 * after its refund) judge the same way:
 * - every refunded line is a line of the sale, and no earlier refund returned it;
 * - the amount is exactly the sum of those lines' `total` (the shares priceSale gave them);
 * - each card tender names a card payment of the sale and, with the earlier refunds to that
 *   card, returns no more than the card paid; cash returns no more than cash settled.
 */
export function refundRefusal(
  refund: SaleRefund,
  sale: Sale,
  earlier: readonly SaleRefund[],
): string | null {
  const receipt = sale.receiptNumber;
  const money = (amount: number) => formatMoney(amount, sale.currency);
  if (refund.receiptNumber !== receipt) {
    return `This refund names receipt ${refund.receiptNumber}, but the sale is receipt ${receipt}. Nothing was refunded; tell a manager.`;
  }
  const lines = new Map(sale.lines.map((line) => [line.lineId, line]));
  const returned = new Set(earlier.flatMap((other) => other.lineIds));
  for (const lineId of refund.lineIds) {
    const line = lines.get(lineId);
    if (!line) return `Receipt ${receipt} has no line ${lineId}. Nothing was refunded.`;
    if (returned.has(lineId)) {
      return `${line.name} on receipt ${receipt} was already refunded. Nothing was refunded twice.`;
    }
  }
  const due = sumMoney(refund.lineIds.map((lineId) => lines.get(lineId)?.total ?? 0));
  if (refund.amount !== due) {
    return `The refunded lines of receipt ${receipt} come to ${money(due)}, not ${money(refund.amount)}. Nothing was refunded.`;
  }
  const all = [...earlier, refund];
  for (const payment of sale.payments) {
    if (payment.method !== 'card') continue;
    const back = sumMoney(
      all.flatMap((one) =>
        one.tenders.flatMap((tender) =>
          tender.method === 'card' && tender.paymentIntentId === payment.paymentIntentId
            ? [tender.amount]
            : [],
        ),
      ),
    );
    if (back > payment.amount) {
      return `The card ending ${payment.last4 ?? '••••'} paid ${money(payment.amount)} on receipt ${receipt}; refunds to it cannot come to ${money(back)}.`;
    }
  }
  const cards = new Set(
    sale.payments.flatMap((payment) =>
      payment.method === 'card' ? [payment.paymentIntentId] : [],
    ),
  );
  for (const tender of refund.tenders) {
    if (tender.method === 'card' && !cards.has(tender.paymentIntentId)) {
      return `Receipt ${receipt} was not paid with the card payment ${tender.paymentIntentId}. Refund to the card the sale was paid with.`;
    }
  }
  const cashPaid = sumMoney(
    sale.payments.flatMap((payment) => (payment.method === 'cash' ? [payment.amount] : [])),
  );
  const cashBack = sumMoney(
    all.flatMap((one) =>
      one.tenders.flatMap((tender) => (tender.method === 'cash' ? [tender.amount] : [])),
    ),
  );
  if (cashBack > cashPaid) {
    return `Receipt ${receipt} took ${money(cashPaid)} in cash; cash refunds cannot come to ${money(cashBack)}. Refund the rest to the card.`;
  }
  return null;
}

/** The codes a refund voids: every code of its lines. */
export function codesOfLines(sale: Sale, lineIds: readonly string[]): string[] {
  const chosen = new Set(lineIds);
  return sale.lines.filter((line) => chosen.has(line.lineId)).flatMap((line) => line.codes);
}
