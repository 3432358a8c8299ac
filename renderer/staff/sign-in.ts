import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { SignInDetail } from '../../shared/shift/shift-events.ts';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { checkStaffPin, type PinCheck } from './pin-check.ts';

type Credentials = Pick<TerminalCredentials, 'storeId' | 'terminalId'>;

/**
 * One sign-in attempt at the counter: the PIN checked offline under the lockout, and the attempt
 * recorded in the audit chain whatever its outcome (a run of wrong PINs is worth a manager's look).
 */
export async function signInWithPin(
  db: EntitleDatabase,
  credentials: Credentials,
  member: Pick<StaffMember, 'id' | 'pinHash' | 'active'>,
  pin: string,
  now: () => number = Date.now,
): Promise<PinCheck> {
  const check = await checkStaffPin(db, member, pin, now);
  const detail: SignInDetail = { outcome: check.outcome };
  await recordAudit(db, credentials, {
    kind: 'sign_in',
    staffId: member.id,
    subjectId: null,
    detail,
  });
  return check;
}

/** Signing out by hand, or the idle lock doing it: both leave a `sign_out` in the chain. */
export async function recordSignOut(
  db: EntitleDatabase,
  credentials: Credentials,
  staffId: string,
  outcome: 'manual' | 'idle_lock',
): Promise<void> {
  const detail: SignInDetail = { outcome };
  await recordAudit(db, credentials, { kind: 'sign_out', staffId, subjectId: null, detail });
}
