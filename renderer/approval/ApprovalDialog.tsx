import { useState } from 'react';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import { usePos } from '../app/pos-context.ts';
import { lockedMessage, wrongPinMessage } from '../staff/pin-messages.ts';
import type { ApprovalRequest } from './approval-context.ts';
import { approveWithPin } from './approve.ts';
import { ModalForm } from './ModalForm.tsx';

/**
 * "Manager approval": says what is being approved, who may approve it, and takes their PIN.
 * Checked offline. A signed-in manager approves their own action the same way, by PIN again.
 */
export function ApprovalDialog(props: {
  request: ApprovalRequest;
  approvers: readonly StaffMember[];
  requestedBy: string;
  /** Preselected: the signed-in member when they may approve. */
  preferredId: string | null;
  onApproved: (managerId: string) => void;
  onCancel: () => void;
}) {
  const { db, credentials } = usePos();
  const { approvers } = props;
  const [managerId, setManagerId] = useState(
    approvers.find((member) => member.id === props.preferredId)?.id ?? approvers[0]?.id ?? '',
  );
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const manager = approvers.find((member) => member.id === managerId) ?? null;

  async function approve() {
    if (!manager || checking) return;
    if (pin === '') {
      setProblem('Type the manager’s PIN.');
      return;
    }
    setChecking(true);
    setProblem(null);
    try {
      const result = await approveWithPin(db, credentials, {
        manager,
        pin,
        action: props.request.action,
        subjectId: props.request.subjectId,
        requestedBy: props.requestedBy,
      });
      setPin('');
      if (result.outcome === 'success') props.onApproved(manager.id);
      else if (result.outcome === 'wrong_pin')
        setProblem(wrongPinMessage(result.triesLeft, result.nextLockMs));
      else if (result.outcome === 'locked') setProblem(lockedMessage(result.until - Date.now()));
      else setProblem(`${manager.name} cannot approve this. Choose a manager.`);
    } catch (error) {
      setProblem(`The approval was not checked: ${String(error)}. Try again.`);
    } finally {
      setChecking(false);
    }
  }

  return (
    <ModalForm
      labelledBy="approval-title"
      submitLabel="Approve"
      submitDisabled={checking || manager === null}
      onSubmit={() => void approve()}
      onCancel={props.onCancel}
    >
      <h2 id="approval-title">Manager approval</h2>
      <p data-testid="approval-summary">
        <strong>{props.request.summary}</strong>
      </p>
      {approvers.length === 0 ? (
        <p role="alert" className="error">
          No manager can approve on this terminal yet. Add a manager with a PIN on the dashboard
          (Staff → Add); they appear here once the terminal is online.
        </p>
      ) : (
        <>
          <label htmlFor="approval-manager">Manager</label>
          <select
            id="approval-manager"
            value={managerId}
            onChange={(event) => {
              setManagerId(event.target.value);
              setProblem(null);
            }}
          >
            {approvers.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
          <label htmlFor="approval-pin">Manager PIN</label>
          <input
            id="approval-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            maxLength={8}
            value={pin}
            onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
          />
        </>
      )}
      <p aria-live="polite" className="hint">
        {checking ? 'Checking…' : ''}
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </ModalForm>
  );
}
