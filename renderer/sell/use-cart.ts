import { useMemo } from 'react';
import { sumMoney } from '../../shared/money.ts';
import { isDiscountable, type Discount } from '../../shared/pricing/discount.ts';
import { priceSale, type PricedAmounts } from '../../shared/pricing/price-sale.ts';
import type { Product } from '../../shared/schemas/product.ts';
import type { CardPayment, Gift } from '../../shared/schemas/sale.ts';
import type { CartDoc } from '../data/local-schemas.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { isSettling } from '../checkout/after-sale.ts';
import { openCartWithProducts$ } from './queries.ts';

export type ShownCartLine = PricedAmounts & {
  readonly productId: string;
  readonly quantity: number;
  readonly gift?: Gift | undefined;
  readonly discount?: Discount | undefined;
  readonly product: Product | undefined;
};

const NO_CARDS: readonly CardPayment[] = [];
const EMPTY_CART: { readonly cart: CartDoc | null; readonly products: Product[] } = {
  cart: null,
  products: [],
};

/**
 * The open cart priced from the local catalogue with the shared rule (discounts, then tax), for
 * display. Checkout prices it again from the database before writing the sale.
 */
export function useCart() {
  const { db } = usePos();
  const stored = useObservable(
    useMemo(() => openCartWithProducts$(db), [db]),
    EMPTY_CART,
  );
  return useMemo(() => {
    // A cart whose sale is stored and is being emptied (the receipt shows meanwhile) is empty.
    const { cart, products } = isSettling(stored.cart?.pendingSaleId) ? EMPTY_CART : stored;
    const byId = new Map(products.map((product) => [product.id, product]));
    const lines = cart?.lines ?? [];
    // A line whose product is gone prices at zero here; checkout refuses it with a message.
    const priced = priceSale(
      lines.map((line) => {
        const product = byId.get(line.productId);
        return {
          unitPrice: product?.price ?? 0,
          quantity: line.quantity,
          discount: line.discount,
          taxClass: product?.taxClass ?? null,
          discountable: product ? isDiscountable(product.kind) : true,
        };
      }),
      cart?.cartDiscount,
    );
    const shown: ShownCartLine[] = lines.map((line, index) => ({
      ...line,
      ...(priced.lines[index] ?? { lineTotal: 0, discountAmount: 0, tax: null, total: 0 }),
      product: byId.get(line.productId),
    }));
    const cardPayments = cart?.cardPayments ?? NO_CARDS;
    return {
      /** The active products the cart's lines name (not the whole catalogue). */
      products,
      lines: shown,
      cartDiscount: cart?.cartDiscount,
      subtotal: priced.subtotal,
      discountTotal: priced.discountTotal,
      taxTotal: priced.taxTotal,
      total: priced.total,
      cardPayments,
      /** What is still to pay after the cards already captured on this cart. */
      remaining: priced.total - sumMoney(cardPayments.map((payment) => payment.amount)),
      pendingSaleId: cart?.pendingSaleId,
      units: sumMoney(shown.map((line) => line.quantity)),
    };
  }, [stored]);
}
