import { useMemo } from 'react';
import { formatMoney } from '../../shared/money.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { refundsOfSale$ } from './queries.ts';
import { refundStateOf } from './refund-state.ts';

const NO_REFUNDS: SaleRefund[] = [];

/**
 * "REFUNDED €25.00" or "PARTLY REFUNDED €25.00" on a receipt, with what went back and why; nothing
 * for a sale without refunds. Printed with the receipt, so a reprint tells the truth.
 */
export function RefundedBanner(props: { sale: Sale }) {
  const { db } = usePos();
  const refunds = useObservable(
    useMemo(() => refundsOfSale$(db, props.sale.id), [db, props.sale.id]),
    NO_REFUNDS,
  );
  const state = refundStateOf(props.sale, refunds);
  if (state.kind === 'none') return null;
  const names = new Map(props.sale.lines.map((line) => [line.lineId, line.name]));
  return (
    <div className="voided-banner" role="status" data-testid="refunded-banner">
      {state.kind === 'whole' ? 'REFUNDED' : 'PARTLY REFUNDED'}{' '}
      {formatMoney(state.amount, props.sale.currency)}
      {refunds.map((refund) => (
        <small key={refund.id}>
          {new Date(refund.createdAt).toLocaleString()} ·{' '}
          {refund.lineIds.map((lineId) => names.get(lineId) ?? lineId).join(', ')} · {refund.reason}
          {refund.takenOffline ? ' · taken offline' : ''}
        </small>
      ))}
    </div>
  );
}
