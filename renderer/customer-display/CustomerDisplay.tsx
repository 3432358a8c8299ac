import { useEffect, useState } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { QrCode } from '../receipt/QrCode.tsx';
import { followDisplayState } from './display-channel.ts';
import type { DisplayState } from './display-state.ts';

/**
 * The screen that faces the customer. It holds no database and no credentials: it renders the
 * state the POS sends over the display channel, and nothing else (display-state.ts).
 */
export function CustomerDisplay() {
  const [state, setState] = useState<DisplayState | null>(null);
  useEffect(() => followDisplayState(setState), []);
  // The codes leave the screen on time even if the till never says so (closed, crashed).
  useEffect(() => {
    if (state?.kind !== 'thank-you') return;
    const { storeName } = state;
    const timer = setTimeout(
      () => setState({ kind: 'welcome', storeName }),
      Math.max(0, state.endsAt - Date.now()),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [state]);

  return (
    <main className="customer-display" data-testid="customer-display" aria-live="polite">
      {state === null || state.kind === 'welcome' ? (
        <div className="cd-welcome">
          <h1>Welcome{state ? ` to ${state.storeName}` : ''}</h1>
          {state === null && <p className="cd-muted">Waiting for the till…</p>}
        </div>
      ) : state.kind === 'cart' ? (
        <CartView state={state} />
      ) : (
        <ThankYouView state={state} />
      )}
    </main>
  );
}

function CartView({ state }: { state: Extract<DisplayState, { kind: 'cart' }> }) {
  const money = (amount: number) => formatMoney(amount, state.currency);
  return (
    <div className="cd-cart">
      <h1 className="cd-store">{state.storeName}</h1>
      <ul className="cd-lines">
        {state.lines.map((line, index) => (
          <li key={index} className="cd-line" data-testid="display-line">
            <span className="cd-qty">{line.quantity} ×</span>
            <span className="cd-name">{line.name}</span>
            <span className="cd-amount">
              {line.discountAmount > 0 && (
                <span className="cd-was">
                  <s>{money(line.lineTotal)}</s>{' '}
                </span>
              )}
              {money(line.total)}
            </span>
          </li>
        ))}
      </ul>
      <dl className="cd-totals">
        {state.discountTotal > 0 && (
          <div>
            <dt>You save</dt>
            <dd data-testid="display-discount">{money(state.discountTotal)}</dd>
          </div>
        )}
        {state.taxTotal > 0 && (
          <div className="cd-muted">
            <dt>Tax</dt>
            <dd>{money(state.taxTotal)}</dd>
          </div>
        )}
        {state.paid > 0 && (
          <div>
            <dt>Paid by card</dt>
            <dd>{money(state.paid)}</dd>
          </div>
        )}
        <div className="cd-total">
          <dt>{state.paid > 0 ? 'Left to pay' : 'Total'}</dt>
          <dd data-testid="display-total">
            {money(state.paid > 0 ? state.remaining : state.total)}
          </dd>
        </div>
      </dl>
    </div>
  );
}

function ThankYouView({ state }: { state: Extract<DisplayState, { kind: 'thank-you' }> }) {
  return (
    <div className="cd-thanks">
      <h1>Thank you</h1>
      <p className="cd-paid">
        Paid {formatMoney(state.total, state.currency)}
        {state.change > 0 && ` · change ${formatMoney(state.change, state.currency)}`}
      </p>
      {state.codes.length > 0 && (
        <>
          <p>Scan a code with your phone to keep it. Your receipt has them too.</p>
          <ul className="cd-codes">
            {state.codes.map((code) => (
              <li key={code.url} className="cd-code" data-testid="display-code">
                <QrCode text={code.url} label={`QR code for ${code.productName}`} size={220} />
                <span className="cd-name">{code.productName}</span>
                <span className="cd-code-text">{code.code}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
