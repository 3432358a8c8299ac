import { useState } from 'react';
import type { Sale } from '../../shared/schemas/sale.ts';
import { usePos } from '../app/pos-context.ts';
import { formatMoney } from '../../shared/money.ts';
import { useRequestApproval } from '../approval/approval-context.ts';
import { ReasonField } from '../audit/ReasonField.tsx';
import { recordAudit } from '../audit/record-audit.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { VoidProblem, voidIdOf, voidSale } from './void-sale.ts';

/**
 * The confirmation before a void: says plainly what happens and asks why. Escape or "Keep the
 * sale" closes it without writing anything.
 */
export function VoidForm(props: { sale: Sale; onDone: () => void }) {
  const { db, credentials } = usePos();
  const staff = useSignedInStaff();
  const requestApproval = useRequestApproval();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const receipt = props.sale.receiptNumber;
  const fieldId = `void-reason-${props.sale.id}`;

  async function confirm() {
    if (reason.trim() === '') {
      setProblem('Say why the sale is voided, for the audit.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      // A void takes codes back: a manager approves it first (the signed-in one by PIN again).
      const approvedBy = await requestApproval({
        action: 'void',
        subjectId: voidIdOf(props.sale.id),
        summary: `Void receipt ${receipt} (${formatMoney(props.sale.total, props.sale.currency)})`,
      });
      if (approvedBy === null) return;
      const written = await voidSale(db, credentials, {
        saleId: props.sale.id,
        reason,
        staffId: staff?.id ?? null,
        approvedBy,
      });
      await recordAudit(db, credentials, {
        kind: 'void',
        staffId: written.staffId,
        subjectId: written.id,
        detail: {
          saleId: written.saleId,
          receiptNumber: written.receiptNumber,
          amount: props.sale.total,
          approvedBy,
        },
      });
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
      <ReasonField
        id={fieldId}
        autoFocus
        required
        value={reason}
        invalid={problem !== null}
        onChange={setReason}
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
