import { memo, useEffect, useState } from 'react';
import { formatMoney, type CurrencyCode } from '../../shared/money.ts';
import {
  describeDiscount,
  discountAmountOf,
  type Discount,
} from '../../shared/pricing/discount.ts';
import { formatPercent } from '../../shared/pricing/percent.ts';
import { taxGroupKey, type LineTax } from '../../shared/pricing/tax.ts';
import { giftCartLabel } from '../../shared/sale/gift.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { isDiscountable } from '../../shared/pricing/discount.ts';
import { useRequestApproval } from '../approval/approval-context.ts';
import {
  discountNeedsApproval,
  forgetDiscountApproval,
  rememberDiscountApproval,
} from '../approval/discount-approval.ts';
import { useStaff } from '../staff/staff-context.ts';
import { DiscountForm } from './DiscountForm.tsx';
import { GiftForm } from './GiftForm.tsx';
import { useCart, type ShownCartLine } from './use-cart.ts';

/** The cart-wide discount form's key in `formFor` (product ids never start with "#"). */
const WHOLE_CART = '#cart';

type TaxRow = { key: string; label: string; amount: number };

/** One row per tax class, in the order first sold: "incl. VAT 20%" or "+ Sales tax 8.875%". */
function taxRows(lines: readonly ShownCartLine[]): TaxRow[] {
  const rows = new Map<string, TaxRow>();
  for (const line of lines) {
    const tax: LineTax | null = line.tax;
    if (!tax) continue;
    const key = taxGroupKey(tax);
    const label = `${tax.inclusive ? 'incl.' : '+'} ${tax.name} ${formatPercent(tax.milliPercent)}`;
    const row = rows.get(key) ?? { key, label, amount: 0 };
    rows.set(key, { ...row, amount: row.amount + tax.amount });
  }
  return [...rows.values()];
}

/** Memoised: it takes no props, so only its own state and subscriptions re-render it. */
export const CartPanel = memo(function CartPanel() {
  const { cart, credentials, db } = usePos();
  const { rules } = useStaff();
  const requestApproval = useRequestApproval();
  const currency: CurrencyCode = credentials.currency;
  const { lines, total, units, subtotal, discountTotal, cartDiscount } = useCart();
  const anyDiscount = cartDiscount !== undefined || lines.some((line) => line.discount);
  // An approval belongs to the discounts on this cart: once none is left (removed, or the cart
  // emptied by hand) it is forgotten, so a later sale cannot carry a manager who approved nothing.
  useEffect(() => {
    if (!anyDiscount) void forgetDiscountApproval(db).catch(() => undefined);
  }, [anyDiscount, db]);
  // Which form is open, and for which line: short-lived UI state; what it saves lives in the cart.
  const [formFor, setFormFor] = useState<{ kind: 'gift' | 'discount'; key: string } | null>(null);
  // The line whose form just closed gets focus back, so a keyboard user carries on from there.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  // A refused edit (a card has paid for this cart): said next to the cart, not lost.
  const [problem, setProblem] = useState<string | null>(null);
  const closeForm = (key: string) => {
    setFormFor(null);
    setReturnFocusTo(key);
  };
  const run = (change: Promise<unknown>) => {
    setProblem(null);
    change.catch((error: unknown) => {
      setProblem(error instanceof Error ? error.message : String(error));
    });
  };
  const money = (amount: number) => formatMoney(amount, currency);
  const apply = (key: string, discount: Discount | null) => {
    closeForm(key);
    run(key === WHOLE_CART ? cart.setCartDiscount(discount) : cart.setLineDiscount(key, discount));
  };
  /**
   * A discount above the store's limit needs a manager's PIN before the cart changes; cancelled,
   * the form stays open and the cart as it was. The approval waits for the sale in a local
   * document (renderer/approval/discount-approval.ts), which then names the manager.
   */
  const saveDiscount = (key: string, discount: Discount | null, base: number, target: string) => {
    if (!discount || !discountNeedsApproval(discount, base, rules.discountApprovalMilliPercent)) {
      apply(key, discount);
      return;
    }
    const amount = discountAmountOf(discount, base);
    void requestApproval({
      action: 'discount',
      subjectId: null,
      summary: `Discount ${describeDiscount(discount, currency)} on ${target} (${money(amount)}), above the ${formatPercent(rules.discountApprovalMilliPercent)} limit`,
    }).then((managerId) => {
      if (managerId === null) return;
      run(rememberDiscountApproval(db, managerId));
      apply(key, discount);
    });
  };
  // What a cart discount comes off: the discountable lines after their own discounts
  // (price-sale.ts step 2); gift cards are sold at face value.
  const afterLineDiscounts = lines.reduce(
    (sum, line) =>
      line.product && !isDiscountable(line.product.kind)
        ? sum
        : sum + line.lineTotal - discountAmountOf(line.discount, line.lineTotal),
    0,
  );

  return (
    <aside className="cart" aria-label="Cart">
      <h2>
        Cart <span className="muted">{units === 1 ? '1 item' : `${String(units)} items`}</span>
      </h2>
      {lines.length === 0 ? (
        <p className="empty">Tap a product to add it.</p>
      ) : (
        <ul className="cart-lines">
          {lines.map((line) => {
            const name = line.product?.name ?? 'Item no longer sold';
            const open = formFor?.key === line.productId ? formFor.kind : null;
            return (
              <li key={line.productId} className="cart-line" data-testid="cart-line">
                <span className="cart-name">{name}</span>
                <span className="stepper">
                  <button
                    type="button"
                    aria-label={`One less ${line.product?.name ?? ''}`}
                    onClick={() => run(cart.setQuantity(line.productId, line.quantity - 1))}
                  >
                    −
                  </button>
                  <span aria-label="Quantity" data-testid="cart-quantity">
                    {line.quantity}
                  </span>
                  <button
                    type="button"
                    aria-label={`One more ${line.product?.name ?? ''}`}
                    onClick={() => run(cart.add(line.productId))}
                  >
                    +
                  </button>
                </span>
                <span className="amount" data-testid="cart-line-amount">
                  {money(line.lineTotal)}
                </span>
                <button
                  type="button"
                  className="remove"
                  aria-label={`Remove ${line.product?.name ?? 'item'}`}
                  onClick={() => run(cart.remove(line.productId))}
                >
                  ×
                </button>
                {line.discountAmount > 0 && (
                  <div className="cart-discount" data-testid="line-discount">
                    <span>
                      {line.discount ? describeDiscount(line.discount, currency) : 'Cart discount'}
                      {line.discount && cartDiscount ? ' + cart discount' : ''}
                    </span>
                    <span className="amount">−{money(line.discountAmount)}</span>
                  </div>
                )}
                {open === 'discount' ? (
                  <div className="cart-gift">
                    <DiscountForm
                      target={name}
                      idPrefix={`discount-${line.productId}`}
                      currency={currency}
                      base={line.lineTotal}
                      initial={line.discount}
                      onSave={(discount) =>
                        saveDiscount(line.productId, discount, line.lineTotal, name)
                      }
                      onRemove={() => saveDiscount(line.productId, null, line.lineTotal, name)}
                      onCancel={() => closeForm(line.productId)}
                    />
                  </div>
                ) : open === 'gift' ? (
                  <div className="cart-gift">
                    <GiftForm
                      productName={line.product?.name ?? 'item'}
                      idPrefix={`gift-${line.productId}`}
                      initial={line.gift}
                      onSave={(gift) => {
                        closeForm(line.productId);
                        run(cart.setGift(line.productId, gift));
                      }}
                      onRemove={() => {
                        closeForm(line.productId);
                        run(cart.removeGift(line.productId));
                      }}
                      onCancel={() => closeForm(line.productId)}
                    />
                  </div>
                ) : (
                  <div className="cart-gift">
                    {line.gift ? (
                      <>
                        <span data-testid="gift-label">{giftCartLabel(line.gift)}</span>
                        <button
                          type="button"
                          className="link-button"
                          autoFocus={returnFocusTo === line.productId}
                          aria-label={`Change the gift of ${line.product?.name ?? 'item'}`}
                          onClick={() => setFormFor({ kind: 'gift', key: line.productId })}
                        >
                          Change
                        </button>
                        <button
                          type="button"
                          className="link-button"
                          aria-label={`${line.product?.name ?? 'Item'} is not a gift`}
                          onClick={() => {
                            setReturnFocusTo(line.productId);
                            run(cart.removeGift(line.productId));
                          }}
                        >
                          Not a gift
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        autoFocus={returnFocusTo === line.productId}
                        aria-label={`Gift… ${line.product?.name ?? 'item'}`}
                        onClick={() => setFormFor({ kind: 'gift', key: line.productId })}
                      >
                        Gift…
                      </button>
                    )}
                    {line.product && !isDiscountable(line.product.kind) ? (
                      <span className="hint">Sold at face value: no discount</span>
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Discount… ${line.product?.name ?? 'item'}`}
                        onClick={() => setFormFor({ kind: 'discount', key: line.productId })}
                      >
                        {line.discount ? 'Change discount' : 'Discount…'}
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {lines.length > 0 &&
        (formFor?.key === WHOLE_CART ? (
          <DiscountForm
            target="the whole cart"
            idPrefix="discount-cart"
            currency={currency}
            base={afterLineDiscounts}
            initial={cartDiscount}
            onSave={(discount) =>
              saveDiscount(WHOLE_CART, discount, afterLineDiscounts, 'the whole cart')
            }
            onRemove={() => saveDiscount(WHOLE_CART, null, afterLineDiscounts, 'the whole cart')}
            onCancel={() => closeForm(WHOLE_CART)}
          />
        ) : (
          <div className="cart-gift">
            {cartDiscount && (
              <span data-testid="cart-discount-label">
                Cart: {describeDiscount(cartDiscount, currency)}
              </span>
            )}
            <button
              type="button"
              className="link-button"
              autoFocus={returnFocusTo === WHOLE_CART}
              onClick={() => setFormFor({ kind: 'discount', key: WHOLE_CART })}
            >
              {cartDiscount ? 'Change cart discount' : 'Discount on the whole cart…'}
            </button>
          </div>
        ))}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <dl className="cart-summary" data-testid="cart-summary">
        {discountTotal > 0 && (
          <>
            <div>
              <dt>Subtotal</dt>
              <dd data-testid="cart-subtotal">{money(subtotal)}</dd>
            </div>
            <div>
              <dt>Discounts</dt>
              <dd data-testid="cart-discounts">−{money(discountTotal)}</dd>
            </div>
          </>
        )}
        {taxRows(lines).map((row) => (
          <div key={row.key} className="cart-tax" data-testid="cart-tax">
            <dt>{row.label}</dt>
            <dd>{money(row.amount)}</dd>
          </div>
        ))}
      </dl>
      <div className="cart-total">
        <span>Total</span>
        <strong data-testid="cart-total">{money(total)}</strong>
      </div>
      <div className="cart-buttons">
        <button
          type="button"
          className="button"
          disabled={lines.length === 0}
          onClick={() => run(cart.clear())}
        >
          Clear
        </button>
        <button
          type="button"
          className="button button-primary button-big"
          disabled={lines.length === 0}
          onClick={() => navigate({ screen: 'tender' })}
        >
          Charge {money(total)}
        </button>
      </div>
    </aside>
  );
});
