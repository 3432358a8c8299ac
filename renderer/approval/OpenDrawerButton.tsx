import { useState } from 'react';
import { usePos } from '../app/pos-context.ts';
import { usePrinterChoice } from '../settings/printer-settings.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { useRequestApproval } from './approval-context.ts';
import { ReasonField } from '../audit/ReasonField.tsx';
import { ModalForm } from './ModalForm.tsx';
import { openDrawerWithoutSale } from './open-drawer.ts';
import '../staff/staff.css';

/**
 * "Open drawer" without a sale: a reason, then a manager's PIN, then the drawer kick and an
 * audit event. The shift it happened in is named when one is open.
 */
export function OpenDrawerButton(props: { shiftId?: string | null }) {
  const { db, credentials, bridge } = usePos();
  const printer = usePrinterChoice();
  const staff = useSignedInStaff();
  const requestApproval = useRequestApproval();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  async function submit() {
    const why = reason.trim();
    if (why === '') {
      setProblem('Say why the drawer is opened, for example “change for the float”.');
      return;
    }
    if (!staff) return;
    setAsking(false);
    const approvedBy = await requestApproval({
      action: 'drawer_open',
      subjectId: props.shiftId ?? null,
      summary: `Open the drawer without a sale: ${why}`,
    });
    if (approvedBy === null) return;
    try {
      const result = await openDrawerWithoutSale(
        { db, credentials, bridge, printer },
        { staffId: staff.id, shiftId: props.shiftId ?? null, reason: why, approvedBy },
      );
      setOutcome(result.message);
      setReason('');
    } catch (error) {
      setOutcome(`The drawer opening was not recorded: ${String(error)}. Try again.`);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          setAsking(true);
          setProblem(null);
          setOutcome(null);
        }}
      >
        Open drawer
      </button>
      {outcome && (
        <div className="overlay" onClick={() => setOutcome(null)}>
          <section
            role="dialog"
            aria-modal="true"
            aria-label="Drawer"
            className="approval-dialog"
            onClick={(event) => event.stopPropagation()}
          >
            <p role="status">{outcome}</p>
            <button type="button" className="button" autoFocus onClick={() => setOutcome(null)}>
              Close
            </button>
          </section>
        </div>
      )}
      {asking && (
        <ModalForm
          labelledBy="drawer-title"
          submitLabel="Ask a manager"
          onSubmit={() => void submit()}
          onCancel={() => setAsking(false)}
        >
          <h2 id="drawer-title">Open the drawer without a sale</h2>
          <ReasonField
            id="drawer-reason"
            autoFocus
            value={reason}
            invalid={problem !== null}
            onChange={setReason}
          />
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
        </ModalForm>
      )}
    </>
  );
}
