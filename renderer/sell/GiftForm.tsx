import { useState } from 'react';
import type { GiftFormErrors } from '../../shared/sale/gift.ts';
import { GIFT_MESSAGE_MAX, localDateOf, parseGiftForm } from '../../shared/sale/gift.ts';
import type { Gift } from '../../shared/schemas/sale.ts';

/**
 * The inline "Gift…" form of one cart line. A plain form: Enter saves, Escape cancels, and every
 * field says what to fix next to it (errors are checked here, not by the browser, so the wording
 * is ours).
 */
export function GiftForm(props: {
  productName: string;
  idPrefix: string;
  initial: Gift | undefined;
  onSave: (gift: Gift) => void;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const [recipientEmail, setRecipientEmail] = useState(props.initial?.recipientEmail ?? '');
  const [sendOn, setSendOn] = useState(props.initial?.sendOn ?? '');
  const [message, setMessage] = useState(props.initial?.message ?? '');
  const [errors, setErrors] = useState<GiftFormErrors>({});
  const today = localDateOf(new Date());
  const id = (field: string) => `${props.idPrefix}-${field}`;

  function save() {
    const result = parseGiftForm({ recipientEmail, sendOn, message }, today);
    if (result.ok) props.onSave(result.gift);
    else setErrors(result.errors);
  }

  function fieldError(field: keyof GiftFormErrors) {
    const text = errors[field];
    return text ? (
      <p id={id(`${field}-error`)} className="error field-error">
        {text}
      </p>
    ) : null;
  }

  return (
    <form
      className="gift-form"
      aria-label={`Gift details for ${props.productName}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel();
      }}
    >
      <label htmlFor={id('email')}>Recipient's e-mail</label>
      <input
        id={id('email')}
        type="email"
        inputMode="email"
        autoComplete="off"
        autoFocus
        required
        value={recipientEmail}
        aria-invalid={errors.recipientEmail ? true : undefined}
        aria-describedby={errors.recipientEmail ? id('recipientEmail-error') : undefined}
        onChange={(event) => setRecipientEmail(event.target.value)}
      />
      {fieldError('recipientEmail')}
      <label htmlFor={id('send-on')}>Send on (optional, empty sends today)</label>
      <input
        id={id('send-on')}
        type="date"
        min={today}
        value={sendOn}
        aria-invalid={errors.sendOn ? true : undefined}
        aria-describedby={errors.sendOn ? id('sendOn-error') : undefined}
        onChange={(event) => setSendOn(event.target.value)}
      />
      {fieldError('sendOn')}
      <label htmlFor={id('message')}>
        Message (optional){' '}
        <span className="muted">{`${String(message.trim().length)}/${String(GIFT_MESSAGE_MAX)}`}</span>
      </label>
      <textarea
        id={id('message')}
        rows={2}
        value={message}
        aria-invalid={errors.message ? true : undefined}
        aria-describedby={errors.message ? id('message-error') : undefined}
        onChange={(event) => setMessage(event.target.value)}
      />
      {fieldError('message')}
      <div className="gift-buttons">
        <button type="submit" className="button button-primary">
          Save gift
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        {props.initial && (
          <button type="button" className="button" onClick={props.onRemove}>
            Not a gift
          </button>
        )}
      </div>
    </form>
  );
}
