import {
  DEFAULT_LOCKOUT_POLICY,
  INITIAL_LOCKOUT,
  LockoutState,
  attempt,
  clearedLockout,
  lockDurationMs,
  lockedUntil,
} from '../../shared/staff/lockout.ts';
import { verifyPin } from '../../shared/staff/pin.ts';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import type { EntitleDatabase } from '../data/database.ts';

/**
 * Checks a staff member's PIN at this terminal, offline, under the lockout rules
 * (shared/staff/lockout.ts). The lockout state is an RxDB local document per member, so closing
 * the app or reloading the page does not hand a guesser fresh tries. Used for sign-in and for a
 * manager's approval alike: one lockout per person, whatever the PIN is being asked for.
 */
export type PinCheck =
  | { readonly outcome: 'success' }
  | {
      readonly outcome: 'wrong_pin';
      readonly triesLeft: number;
      /** How long the lock lasts if the tries run out. */
      readonly nextLockMs: number;
    }
  | { readonly outcome: 'locked'; readonly until: number };

export function lockoutDocId(staffId: string): string {
  return `lockout-${staffId}`;
}

export async function readLockout(db: EntitleDatabase, staffId: string): Promise<LockoutState> {
  const doc = await db.getLocal<LockoutState>(lockoutDocId(staffId));
  if (!doc) return INITIAL_LOCKOUT;
  // A damaged local document must not unlock anyone: treat it as a fresh lock of the first length.
  const parsed = LockoutState.safeParse(doc.toJSON().data);
  return parsed.success ? parsed.data : INITIAL_LOCKOUT;
}

async function writeLockout(
  db: EntitleDatabase,
  staffId: string,
  state: LockoutState,
): Promise<void> {
  await db.upsertLocal<LockoutState>(lockoutDocId(staffId), state);
}

/** When the member's lock ends, or null when they may try a PIN now. */
export async function lockedUntilFor(
  db: EntitleDatabase,
  staffId: string,
  now: number,
): Promise<number | null> {
  return lockedUntil(await readLockout(db, staffId), now);
}

export async function checkStaffPin(
  db: EntitleDatabase,
  member: Pick<StaffMember, 'id' | 'pinHash' | 'active'>,
  pin: string,
  now: () => number,
): Promise<PinCheck> {
  const before = await readLockout(db, member.id);
  const locked = lockedUntil(before, now());
  // While locked the PIN is not even checked: an answer would be a free guess.
  if (locked !== null) return { outcome: 'locked', until: locked };
  const right = member.active && member.pinHash !== null && (await verifyPin(pin, member.pinHash));
  // Read again after the slow hash: another attempt may have been recorded meanwhile.
  const current = await readLockout(db, member.id);
  const after = attempt(current, right ? 'success' : 'failure', now());
  await writeLockout(db, member.id, after);
  if (right) return { outcome: 'success' };
  const until = lockedUntil(after, now());
  if (until !== null) return { outcome: 'locked', until };
  return {
    outcome: 'wrong_pin',
    triesLeft: DEFAULT_LOCKOUT_POLICY.maxFailures - after.failures,
    nextLockMs: lockDurationMs(after.locks),
  };
}

/** A manager cleared the member's lock (the caller records the approval). */
export async function clearLockout(db: EntitleDatabase, staffId: string): Promise<void> {
  await writeLockout(db, staffId, clearedLockout());
}
