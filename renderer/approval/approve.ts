import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { ApprovalAction, ApprovalDetail } from '../../shared/shift/shift-events.ts';
import { canApprove, type StaffMember } from '../../shared/staff/staff-member.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { checkStaffPin, type PinCheck } from '../staff/pin-check.ts';

export type ApprovalOutcome = PinCheck | { readonly outcome: 'not_a_manager' };

/**
 * A manager's PIN, checked offline under the same lockout as their sign-in. On success the
 * approval is an audit event (staffId = the manager, subjectId = what was approved), so a void
 * or refund can always be traced to the person who allowed it — even when that is the signed-in
 * manager approving their own action.
 */
export async function approveWithPin(
  db: EntitleDatabase,
  credentials: Pick<TerminalCredentials, 'storeId' | 'terminalId'>,
  input: {
    readonly manager: Pick<StaffMember, 'id' | 'pinHash' | 'active' | 'role'>;
    readonly pin: string;
    readonly action: ApprovalAction;
    readonly subjectId: string | null;
    readonly requestedBy: string;
  },
  now: () => number = Date.now,
): Promise<ApprovalOutcome> {
  // A cashier's right PIN approves nothing, and is not even checked.
  if (!canApprove(input.manager.role)) return { outcome: 'not_a_manager' };
  const check = await checkStaffPin(db, input.manager, input.pin, now);
  if (check.outcome !== 'success') return check;
  const detail: ApprovalDetail = { action: input.action, requestedBy: input.requestedBy };
  await recordAudit(db, credentials, {
    kind: 'approval',
    staffId: input.manager.id,
    subjectId: input.subjectId,
    detail,
  });
  return check;
}
