import { useMemo } from 'react';
import { multiplyMoney, sumMoney } from '../../shared/money.ts';
import type { Product } from '../../shared/schemas/product.ts';
import type { Gift } from '../../shared/schemas/sale.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { activeProducts$, openCart$ } from './queries.ts';

export type ShownCartLine = {
  readonly productId: string;
  readonly quantity: number;
  readonly gift?: Gift | undefined;
  readonly product: Product | undefined;
  readonly lineTotal: number;
};

/** The open cart priced from the local catalogue, for display. Checkout prices it again in shared/. */
export function useCart() {
  const { db } = usePos();
  const lines = useObservable(
    useMemo(() => openCart$(db), [db]),
    [],
  );
  const products = useObservable(
    useMemo(() => activeProducts$(db), [db]),
    [],
  );
  return useMemo(() => {
    const byId = new Map(products.map((product) => [product.id, product]));
    const shown: ShownCartLine[] = lines.map((line) => {
      const product = byId.get(line.productId);
      return {
        ...line,
        product,
        lineTotal: product ? multiplyMoney(product.price, line.quantity) : 0,
      };
    });
    return {
      products,
      lines: shown,
      total: sumMoney(shown.map((line) => line.lineTotal)),
      units: sumMoney(shown.map((line) => line.quantity)),
    };
  }, [lines, products]);
}
