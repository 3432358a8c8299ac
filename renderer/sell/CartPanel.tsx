import { useState } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { giftCartLabel } from '../../shared/sale/gift.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { GiftForm } from './GiftForm.tsx';
import { useCart } from './use-cart.ts';

export function CartPanel() {
  const { cart, credentials } = usePos();
  const { lines, total, units } = useCart();
  // Which line's gift form is open: short-lived UI state; the gift itself lives in the cart.
  const [giftFormFor, setGiftFormFor] = useState<string | null>(null);
  // The line whose form just closed gets focus back, so a keyboard user carries on from there.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  const closeGiftForm = (productId: string) => {
    setGiftFormFor(null);
    setReturnFocusTo(productId);
  };

  return (
    <aside className="cart" aria-label="Cart">
      <h2>
        Cart <span className="muted">{units === 1 ? '1 item' : `${String(units)} items`}</span>
      </h2>
      {lines.length === 0 ? (
        <p className="empty">Tap a product to add it.</p>
      ) : (
        <ul className="cart-lines">
          {lines.map((line) => (
            <li key={line.productId} className="cart-line" data-testid="cart-line">
              <span className="cart-name">{line.product?.name ?? 'Item no longer sold'}</span>
              <span className="stepper">
                <button
                  type="button"
                  aria-label={`One less ${line.product?.name ?? ''}`}
                  onClick={() => void cart.setQuantity(line.productId, line.quantity - 1)}
                >
                  −
                </button>
                <span aria-label="Quantity" data-testid="cart-quantity">
                  {line.quantity}
                </span>
                <button
                  type="button"
                  aria-label={`One more ${line.product?.name ?? ''}`}
                  onClick={() => void cart.add(line.productId)}
                >
                  +
                </button>
              </span>
              <span className="amount">{formatMoney(line.lineTotal, credentials.currency)}</span>
              <button
                type="button"
                className="remove"
                aria-label={`Remove ${line.product?.name ?? 'item'}`}
                onClick={() => void cart.remove(line.productId)}
              >
                ×
              </button>
              {giftFormFor === line.productId ? (
                <div className="cart-gift">
                  <GiftForm
                    productName={line.product?.name ?? 'item'}
                    idPrefix={`gift-${line.productId}`}
                    initial={line.gift}
                    onSave={(gift) => {
                      closeGiftForm(line.productId);
                      void cart.setGift(line.productId, gift);
                    }}
                    onRemove={() => {
                      closeGiftForm(line.productId);
                      void cart.removeGift(line.productId);
                    }}
                    onCancel={() => closeGiftForm(line.productId)}
                  />
                </div>
              ) : line.gift ? (
                <div className="cart-gift">
                  <span data-testid="gift-label">{giftCartLabel(line.gift)}</span>
                  <button
                    type="button"
                    className="link-button"
                    autoFocus={returnFocusTo === line.productId}
                    aria-label={`Change the gift of ${line.product?.name ?? 'item'}`}
                    onClick={() => setGiftFormFor(line.productId)}
                  >
                    Change
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`${line.product?.name ?? 'Item'} is not a gift`}
                    onClick={() => {
                      setReturnFocusTo(line.productId);
                      void cart.removeGift(line.productId);
                    }}
                  >
                    Not a gift
                  </button>
                </div>
              ) : (
                <div className="cart-gift">
                  <button
                    type="button"
                    className="link-button"
                    autoFocus={returnFocusTo === line.productId}
                    aria-label={`Gift… ${line.product?.name ?? 'item'}`}
                    onClick={() => setGiftFormFor(line.productId)}
                  >
                    Gift…
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="cart-total">
        <span>Total</span>
        <strong data-testid="cart-total">{formatMoney(total, credentials.currency)}</strong>
      </div>
      <div className="cart-buttons">
        <button
          type="button"
          className="button"
          disabled={lines.length === 0}
          onClick={() => void cart.clear()}
        >
          Clear
        </button>
        <button
          type="button"
          className="button button-primary button-big"
          disabled={lines.length === 0}
          onClick={() => navigate({ screen: 'tender' })}
        >
          Charge {formatMoney(total, credentials.currency)}
        </button>
      </div>
    </aside>
  );
}
