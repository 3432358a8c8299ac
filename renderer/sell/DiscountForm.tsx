import { useState } from 'react';
import type { CurrencyCode } from '../../shared/money.ts';
import type { Discount } from '../../shared/pricing/discount.ts';
import { discountInputText, parseDiscountInput, type DiscountKind } from './discount-input.ts';

/**
 * The inline "Discount…" form, for one cart line or the whole cart: percent or amount off.
 * A plain form: Enter saves, Escape cancels, the error says what to type. Manager approval of
 * discounts (issue #5) hooks in at onSave, before the discount reaches the cart.
 */
export function DiscountForm(props: {
  /** What the discount is for, e.g. "Gift card €20" or "the whole cart". */
  target: string;
  idPrefix: string;
  currency: CurrencyCode;
  /** What the discount comes off, in minor units (an amount may not exceed it). */
  base: number;
  initial: Discount | undefined;
  onSave: (discount: Discount) => void;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState<DiscountKind>(props.initial?.kind ?? 'percent');
  const [text, setText] = useState(
    props.initial ? discountInputText(props.initial, props.currency) : '',
  );
  const [error, setError] = useState<string | null>(null);
  const id = (field: string) => `${props.idPrefix}-${field}`;

  function save() {
    const result = parseDiscountInput(kind, text, props.currency, props.base);
    if (result.ok) props.onSave(result.discount);
    else setError(result.error);
  }

  return (
    <form
      className="discount-form"
      aria-label={`Discount on ${props.target}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel();
      }}
    >
      <div className="discount-kind" role="group" aria-label="Kind of discount">
        <button
          type="button"
          className="button"
          aria-pressed={kind === 'percent'}
          onClick={() => {
            setKind('percent');
            setError(null);
          }}
        >
          % off
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={kind === 'amount'}
          onClick={() => {
            setKind('amount');
            setError(null);
          }}
        >
          {props.currency} off
        </button>
      </div>
      <label htmlFor={id('value')}>
        {kind === 'percent' ? 'Percentage off' : `Amount off (${props.currency})`}
      </label>
      <input
        id={id('value')}
        inputMode="decimal"
        autoComplete="off"
        autoFocus
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? id('error') : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      {error && (
        <p id={id('error')} role="alert" className="error field-error">
          {error}
        </p>
      )}
      <div className="gift-buttons">
        <button type="submit" className="button button-primary">
          Apply discount
        </button>
        {props.initial && (
          <button type="button" className="button" onClick={props.onRemove}>
            Remove discount
          </button>
        )}
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
