import { useEffect, useMemo, useRef, useState } from 'react';
import { of } from 'rxjs';
import { sumMoney } from '../../shared/money.ts';
import { usePos } from '../app/pos-context.ts';
import type { Route } from '../app/route.ts';
import { useObservable } from '../app/use-observable.ts';
import { sale$ } from '../history/queries.ts';
import { useCart } from '../sell/use-cart.ts';
import { openDisplayPublisher } from './display-channel.ts';
import { displayStateOf, thankYouEndsAt } from './display-state.ts';

/**
 * Keeps the customer display in step with this POS: the open cart as it changes, then the sale
 * whose fresh receipt the cashier opened, until the next sale starts or a minute has passed.
 */
export function useCustomerDisplayPublisher(route: Route): void {
  const { db, credentials } = usePos();
  const cart = useCart();
  // The last sale completed here this session; only a fresh receipt sets it, never a reprint.
  const [lastSaleId, setLastSaleId] = useState<string | null>(null);
  if (route.screen === 'receipt' && route.fresh && route.saleId !== lastSaleId) {
    setLastSaleId(route.saleId);
  }
  const lastSale = useObservable(
    useMemo(() => (lastSaleId === null ? of(null) : sale$(db, lastSaleId)), [db, lastSaleId]),
    null,
  );
  const [now, setNow] = useState(() => Date.now());
  const state = useMemo(
    () =>
      displayStateOf({
        storeName: credentials.storeName,
        currency: credentials.currency,
        redeemBase: credentials.redeemBaseUrl,
        cart: {
          lines: cart.lines.map((line) => ({
            ...line,
            name: line.product?.name ?? 'Item',
          })),
          subtotal: cart.subtotal,
          discountTotal: cart.discountTotal,
          taxTotal: cart.taxTotal,
          total: cart.total,
          paid: sumMoney(cart.cardPayments.map((payment) => payment.amount)),
        },
        lastSale,
        // A sale newer than `now` counts as just made: the clock only has to move at the end.
        now,
      }),
    [cart, credentials, lastSale, now],
  );

  const publisher = useRef<ReturnType<typeof openDisplayPublisher> | null>(null);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
    publisher.current?.publish(state);
  }, [state]);
  useEffect(() => {
    publisher.current = openDisplayPublisher(latest.current);
    return () => {
      publisher.current?.close();
      publisher.current = null;
    };
  }, []);

  // Wake up when the thank-you is due to end, so the display goes back to welcome on its own.
  useEffect(() => {
    if (state.kind !== 'thank-you' || lastSale === null) return;
    // A little late rather than early: an early wake-up would find the thank-you still due.
    const timer = setTimeout(() => setNow(Date.now()), thankYouEndsAt(lastSale) - Date.now() + 50);
    return () => {
      clearTimeout(timer);
    };
  }, [state.kind, lastSale]);
}
