import { useState } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { denominationLabel, denominationsOf } from '../../shared/shift/denominations.ts';
import { countedTotal } from '../../shared/shift/shift-events.ts';
import { formatVariance, varianceOutcome } from '../../shared/shift/shift-report.ts';
import { canApprove } from '../../shared/staff/staff-member.ts';
import { usePos } from '../app/pos-context.ts';
import { navigate } from '../app/route.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { ShiftRefusal, closeShift } from './shift-commands.ts';
import { useOpenShift } from './use-open-shift.ts';
import { useShiftReport } from './use-shift-report.ts';

const OUTCOME_WORDS = { short: 'short', over: 'over', exact: 'exact' } as const;

/** A count field's text as a whole number of notes or coins, or null when it is not one. */
function countOf(text: string): number | null {
  if (text.trim() === '') return 0;
  return /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/**
 * The close: count the drawer note by note, see what it should hold and the difference, and
 * close. The expected cash shown is the one the close records (both come from the same facts).
 */
export function CloseShiftScreen() {
  const { db, credentials } = usePos();
  const staff = useSignedInStaff();
  const open = useOpenShift();
  const state = useShiftReport(open?.shiftId ?? null, 'X');
  const { currency } = credentials;
  const denominations = denominationsOf(currency);
  const [typed, setTyped] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const counts = new Map<number, number>();
  let unreadable = false;
  for (const { value } of denominations) {
    const count = countOf(typed[value] ?? '');
    if (count === null) unreadable = true;
    else if (count > 0) counts.set(value, count);
  }
  const counted = countedTotal(counts);
  const expected = state.status === 'ready' ? Math.max(0, state.report.expectedCash) : null;
  const variance = expected === null ? null : counted - expected;

  async function close() {
    if (!staff || unreadable) return;
    setBusy(true);
    setProblem(null);
    try {
      const { shiftId } = await closeShift(db, credentials, { staffId: staff.id, counts });
      navigate({ screen: 'z-report', shiftId });
    } catch (error) {
      setProblem(
        error instanceof ShiftRefusal ? error.message : 'The shift could not be closed. Try again.',
      );
      setBusy(false);
    }
  }

  // Closing is a manager's job (shared/staff/staff-member.ts): the count is what the day's
  // takings are judged by. Cashiers still see the X-report and move cash in and out.
  if (staff && !canApprove(staff.role)) {
    return (
      <section className="close-shift" aria-labelledby="close-shift-title">
        <h1 id="close-shift-title">Close the shift</h1>
        <p className="banner error" role="alert">
          Closing the shift is for managers. Ask a manager to sign in and count the drawer.
        </p>
      </section>
    );
  }
  return (
    <section className="close-shift" aria-labelledby="close-shift-title">
      <h1 id="close-shift-title">Close the shift</h1>
      <p className="muted">Count the drawer: how many of each note and coin.</p>
      <form
        className="count-form"
        onSubmit={(event) => {
          event.preventDefault();
          void close();
        }}
      >
        <div className="count-grid">
          {denominations.map((denomination) => {
            const id = `count-${String(denomination.value)}`;
            const text = typed[denomination.value] ?? '';
            return (
              <div key={denomination.value} className={`count-row count-${denomination.kind}`}>
                <label htmlFor={id}>{denominationLabel(denomination, currency)}</label>
                <input
                  id={id}
                  inputMode="numeric"
                  autoComplete="off"
                  value={text}
                  aria-invalid={countOf(text) === null}
                  onChange={(event) =>
                    setTyped((current) => ({
                      ...current,
                      [denomination.value]: event.target.value,
                    }))
                  }
                />
              </div>
            );
          })}
        </div>
        <dl className="count-summary">
          <dt>Counted</dt>
          <dd data-testid="counted-cash">{formatMoney(counted, currency)}</dd>
          <dt>Expected</dt>
          <dd data-testid="expected-cash">
            {expected === null ? '…' : formatMoney(expected, currency)}
          </dd>
        </dl>
        {variance !== null && (
          <p
            className={`variance variance-${varianceOutcome(variance)}`}
            data-testid="variance"
            aria-live="polite"
          >
            {formatVariance(variance, currency)}{' '}
            <span className="variance-word">{OUTCOME_WORDS[varianceOutcome(variance)]}</span>
          </p>
        )}
        <p className="field-error" role="alert">
          {unreadable ? 'Each count is a whole number, such as 3.' : problem}
        </p>
        <div className="tender-buttons">
          <button
            type="submit"
            className="button button-primary button-big"
            disabled={busy || unreadable || expected === null}
          >
            Close shift
          </button>
          <button type="button" className="button" onClick={() => navigate({ screen: 'sell' })}>
            Keep selling
          </button>
        </div>
      </form>
    </section>
  );
}
