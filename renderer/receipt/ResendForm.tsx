import { useState } from 'react';
import type { Sale } from '../../shared/schemas/sale.ts';
import { usePos } from '../app/pos-context.ts';
import { resendReceipt, type ResendOutcome } from './resend-receipt.ts';

/** Asks where to send the receipt again, prefilled with the buyer's address from checkout. */
export function ResendForm(props: { sale: Sale; onDone: () => void }) {
  const { credentials } = usePos();
  const [email, setEmail] = useState(props.sale.buyerEmail ?? '');
  const [outcome, setOutcome] = useState<ResendOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const receipt = props.sale.receiptNumber;
  const fieldId = `resend-email-${props.sale.id}`;
  return (
    <form
      className="resend-form"
      aria-label={`Resend receipt ${receipt}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        void resendReceipt(credentials, { saleId: props.sale.id, email }).then((result) => {
          setBusy(false);
          setOutcome(result);
        });
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onDone();
      }}
    >
      <label htmlFor={fieldId}>E-mail the receipt of {receipt} to</label>
      <input
        id={fieldId}
        type="email"
        inputMode="email"
        autoComplete="off"
        autoFocus
        value={email}
        onChange={(event) => {
          setEmail(event.target.value);
          setOutcome(null);
        }}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        Send
      </button>
      <button type="button" className="button" onClick={props.onDone}>
        Close
      </button>
      {outcome && (
        <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? '' : 'error'}>
          {outcome.message}
        </p>
      )}
    </form>
  );
}
