import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { reconcileSaleAudit } from '../audit/sale-audit.ts';
import { recordSignOut } from './sign-in.ts';
import { StaffContext, type StaffContextValue } from './staff-context.ts';
import { counterRules$, DEFAULT_COUNTER_RULES, staff$ } from './staff-queries.ts';
import { createStaffSession } from './staff-session.ts';
import { useIdleLock } from './use-idle-lock.ts';

/**
 * Who is at the counter, the store's counter rules, and the idle lock. Sign-out (by hand or idle)
 * is recorded in the audit chain; the cart is untouched, so the next person finds it as it was.
 */
export function StaffProvider(props: { children: ReactNode }) {
  const { db, credentials } = usePos();
  const session = useMemo(() => createStaffSession(window.sessionStorage), []);
  const staff = useObservable<readonly StaffMember[] | null>(
    useMemo(() => staff$(db), [db]),
    null,
  );
  const rules = useObservable(
    useMemo(() => counterRules$(db, credentials.storeId), [db, credentials.storeId]),
    DEFAULT_COUNTER_RULES,
  );
  const staffId = useStore(session, (state) => state.staffId);
  // Once per start, before anyone can sell: a sale the till wrote just before a crash gets the
  // audit event it missed (renderer/audit/sale-audit.ts).
  useEffect(() => {
    void reconcileSaleAudit(db, credentials).catch(() => undefined);
  }, [db, credentials]);

  const signOut = useCallback(
    (reason: 'manual' | 'idle') => {
      const current = session.getState().staffId;
      if (current === null) return;
      session.signOut(reason);
      void recordSignOut(db, credentials, current, reason === 'idle' ? 'idle_lock' : 'manual');
    },
    [db, credentials, session],
  );
  const lockWhenIdle = useCallback(() => signOut('idle'), [signOut]);
  useIdleLock(staffId !== null, rules.idleLockSeconds * 1000, lockWhenIdle);

  const value = useMemo<StaffContextValue>(
    () => ({ session, staff, rules, signOut }),
    [session, staff, rules, signOut],
  );
  return <StaffContext.Provider value={value}>{props.children}</StaffContext.Provider>;
}
