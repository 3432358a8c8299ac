import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import type { StaffSession } from './staff-session.ts';
import type { CounterRules } from './staff-queries.ts';

export type StaffContextValue = {
  readonly session: StaffSession;
  /** Everyone synced to this terminal; null until the local query first answers. */
  readonly staff: readonly StaffMember[] | null;
  readonly rules: CounterRules;
  /** Signs the current member out and records it in the audit chain. */
  readonly signOut: (reason: 'manual' | 'idle') => void;
};

export const StaffContext = createContext<StaffContextValue | null>(null);

export function useStaff(): StaffContextValue {
  const value = useContext(StaffContext);
  if (!value) throw new Error('useStaff() outside <StaffProvider>.');
  return value;
}

/**
 * The member signed in at this counter, or null. A member the server has since deactivated (or
 * whose PIN was removed) counts as signed out at once.
 */
export function useSignedInStaff(): StaffMember | null {
  const { session, staff } = useStaff();
  const staffId = useStore(session, (state) => state.staffId);
  const member = staff?.find((candidate) => candidate.id === staffId) ?? null;
  return member?.active === true && member.pinHash !== null ? member : null;
}
