import { sumMoney } from '../../shared/money.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';

export type RefundState =
  | { readonly kind: 'none' }
  | { readonly kind: 'partly'; readonly amount: number; readonly lineIds: ReadonlySet<string> }
  | { readonly kind: 'whole'; readonly amount: number; readonly lineIds: ReadonlySet<string> };

/** "Refunded" when every line went back, "Partly refunded" with the amount otherwise. */
export function refundStateOf(
  sale: Pick<Sale, 'lines'>,
  refunds: readonly Pick<SaleRefund, 'lineIds' | 'amount'>[],
): RefundState {
  if (refunds.length === 0) return { kind: 'none' };
  const lineIds = new Set(refunds.flatMap((refund) => refund.lineIds));
  const amount = sumMoney(refunds.map((refund) => refund.amount));
  const whole = sale.lines.every((line) => lineIds.has(line.lineId));
  return { kind: whole ? 'whole' : 'partly', amount, lineIds };
}
