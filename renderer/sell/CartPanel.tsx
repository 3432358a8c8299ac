import { formatMoney } from '../../shared/money.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useCart } from './use-cart.ts';

export function CartPanel() {
  const { cart, credentials } = usePos();
  const { lines, total, units } = useCart();

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
