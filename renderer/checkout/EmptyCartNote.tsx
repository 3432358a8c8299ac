import { useMemo } from 'react';
import { map } from 'rxjs';
import { formatMoney } from '../../shared/money.ts';
import { usePos } from '../app/pos-context.ts';
import { hrefOf } from '../app/route.ts';
import { useObservable } from '../app/use-observable.ts';
import { salesSince$, startOfDay } from '../history/queries.ts';

/**
 * The payment screen with nothing to pay, most often after a reload or crash right after
 * "Complete sale": the sale was saved and the cart emptied, but the receipt never showed. Name
 * the last sale, so the cashier can see it went through instead of ringing it up again.
 */
export function EmptyCartNote() {
  const { db } = usePos();
  const last$ = useMemo(
    () => salesSince$(db, startOfDay(new Date())).pipe(map((sales) => sales[0] ?? null)),
    [db],
  );
  const last = useObservable(last$, null);
  return (
    <p className="screen-message" role="status">
      The cart is empty.{' '}
      {last && (
        <>
          The last sale, receipt{' '}
          <a href={hrefOf({ screen: 'receipt', saleId: last.id, fresh: false })}>
            {last.receiptNumber}
          </a>{' '}
          for {formatMoney(last.total, last.currency)} at{' '}
          {new Date(last.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })},
          is saved.{' '}
        </>
      )}
      <a href="#/sell">Back to selling</a>
    </p>
  );
}
