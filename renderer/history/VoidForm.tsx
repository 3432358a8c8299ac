import { useState } from 'react';
import type { Sale } from '../../shared/schemas/sale.ts';
import { usePos } from '../app/pos-context.ts';
import { VoidProblem, voidSale } from './void-sale.ts';

/**
 * The confirmation before a void: says plainly what happens and asks why. Escape or "Keep the
 * sale" closes it without writing anything.
 */
export function VoidForm(props: { sale: Sale; onDone: () => void }) {
  const { db, credentials } = usePos();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const receipt = props.sale.receiptNumber;
  const fieldId = `void-reason-${props.sale.id}`;

  async function confirm() {
    setBusy(true);
    setProblem(null);
    try {
      await voidSale(db, credentials, { saleId: props.sale.id, reason });
      props.onDone();
    } catch (error) {
      setProblem(
        error instanceof VoidProblem
          ? error.message
          : `The void was not saved: ${String(error)}. Try again.`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="void-form"
      aria-label={`Void receipt ${receipt}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onDone();
      }}
    >
      <p>
        <strong>Void receipt {receipt}?</strong> The codes on this receipt stop working; customers
        who claimed them are told by e-mail. Codes already redeemed stay redeemed. This cannot be
        undone.
      </p>
      <label htmlFor={fieldId}>Reason (required)</label>
      <textarea
        id={fieldId}
        rows={2}
        autoFocus
        required
        value={reason}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => setReason(event.target.value)}
      />
      {problem && (
        <p role="alert" className="error field-error">
          {problem}
        </p>
      )}
      <div className="gift-buttons">
        <button type="submit" className="button button-danger" disabled={busy}>
          Void receipt {receipt}
        </button>
        <button type="button" className="button" onClick={props.onDone}>
          Keep the sale
        </button>
      </div>
    </form>
  );
}
