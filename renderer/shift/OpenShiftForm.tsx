import { useState } from 'react';
import { formatMoney, minorUnitDigits } from '../../shared/money.ts';
import { usePos } from '../app/pos-context.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { readAmount } from './money-field.ts';
import { ShiftRefusal, openShift } from './shift-commands.ts';

/** One-tap floats, in major units: the amounts shops usually start a drawer with. */
const QUICK_FLOATS = [50, 100, 150, 200];

/** "Open the shift": the float counted into the drawer, recorded as the shift_open event. */
export function OpenShiftForm() {
  const { db, credentials } = usePos();
  const staff = useSignedInStaff();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { currency } = credentials;
  const typedAmount = readAmount(typed, currency);
  const unit = 10 ** minorUnitDigits(currency);

  async function open(float: number) {
    if (!staff) return;
    setBusy(true);
    setProblem(null);
    try {
      await openShift(db, credentials, { staffId: staff.id, float });
    } catch (error) {
      setProblem(
        error instanceof ShiftRefusal ? error.message : 'The shift could not be opened. Try again.',
      );
      setBusy(false);
    }
  }

  return (
    <section className="shift-gate" data-testid="shift-gate" aria-labelledby="shift-gate-title">
      <h1 id="shift-gate-title">Open the shift</h1>
      <p className="muted">
        Count the cash you start with into the drawer. Sales, cash in and out and the close all
        belong to this shift.
      </p>
      <div className="quick-tenders" role="group" aria-label="Quick floats">
        {QUICK_FLOATS.map((major) => (
          <button
            key={major}
            type="button"
            className="button button-big"
            disabled={busy}
            onClick={() => setTyped(String(major))}
          >
            {formatMoney(major * unit, currency)}
          </button>
        ))}
      </div>
      <form
        className="shift-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (typedAmount.kind === 'ok') void open(typedAmount.amount);
          else if (typedAmount.kind === 'empty')
            setProblem('Type the float, such as 100.00 (0 for an empty drawer).');
        }}
      >
        <label htmlFor="shift-float">Float in the drawer</label>
        <input
          id="shift-float"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <p className="field-error" role="alert">
          {typedAmount.kind === 'bad' ? typedAmount.message : problem}
        </p>
        <button
          type="submit"
          className="button button-primary button-big"
          disabled={busy || typedAmount.kind === 'bad'}
        >
          Open shift
        </button>
      </form>
    </section>
  );
}
