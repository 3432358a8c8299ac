import { useState } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { usePos } from '../app/pos-context.ts';
import { hrefOf, navigate } from '../app/route.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { readAmount } from './money-field.ts';
import { ShiftRefusal, recordCashMove } from './shift-commands.ts';

const TITLES = { in: 'Cash in', out: 'Cash out' } as const;

/** Cash put into or taken out of the drawer, with the reason: an audit event of the shift. */
export function CashMoveScreen({ direction }: { direction: 'in' | 'out' }) {
  const { db, credentials } = usePos();
  const staff = useSignedInStaff();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amount = readAmount(typed, credentials.currency);

  async function record() {
    if (!staff) return;
    if (amount.kind !== 'ok' || amount.amount === 0) {
      setProblem('Type an amount more than zero, such as 20.00.');
      return;
    }
    if (reason.trim() === '') {
      setProblem('Say why the cash goes in or out.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await recordCashMove(db, credentials, {
        direction,
        staffId: staff.id,
        amount: amount.amount,
        reason,
      });
      setDone(
        `${TITLES[direction]} of ${formatMoney(amount.amount, credentials.currency)} recorded.`,
      );
      setTyped('');
      setReason('');
    } catch (error) {
      setProblem(
        error instanceof ShiftRefusal ? error.message : 'It could not be recorded. Try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="cash-move" aria-labelledby="cash-move-title">
      <h1 id="cash-move-title">{TITLES[direction]}</h1>
      <nav className="segmented" aria-label="Cash in or out">
        {(['in', 'out'] as const).map((other) => (
          <a
            key={other}
            href={hrefOf({ screen: 'cash', direction: other })}
            aria-current={other === direction ? 'page' : undefined}
          >
            {TITLES[other]}
          </a>
        ))}
      </nav>
      <form
        className="shift-form"
        onSubmit={(event) => {
          event.preventDefault();
          void record();
        }}
      >
        <label htmlFor="cash-move-amount">Amount</label>
        <input
          id="cash-move-amount"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            setDone(null);
          }}
        />
        <label htmlFor="cash-move-reason">Reason</label>
        <input
          id="cash-move-reason"
          autoComplete="off"
          maxLength={200}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <p className="field-error" role="alert">
          {amount.kind === 'bad' ? amount.message : problem}
        </p>
        {done && (
          <p className="banner" role="status">
            {done}
          </p>
        )}
        <div className="tender-buttons">
          <button type="submit" className="button button-primary button-big" disabled={busy}>
            Record {TITLES[direction].toLowerCase()}
          </button>
          <button type="button" className="button" onClick={() => navigate({ screen: 'sell' })}>
            Back to selling
          </button>
        </div>
      </form>
    </section>
  );
}
