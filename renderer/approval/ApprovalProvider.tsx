import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { approvers } from '../staff/staff-queries.ts';
import { useStaff } from '../staff/staff-context.ts';
import { ApprovalContext, type ApprovalRequest, type RequestApproval } from './approval-context.ts';
import { ApprovalDialog } from './ApprovalDialog.tsx';

type Pending = { readonly request: ApprovalRequest; readonly requestedBy: string };

/**
 * Hosts the one "Manager approval" dialog. Any screen asks with `useRequestApproval()` and awaits
 * the manager's id (or null); a second request while one is open cancels the first.
 */
export function ApprovalProvider(props: { children: ReactNode }) {
  const { session, staff } = useStaff();
  const signedIn = useStore(session, (state) => state.staffId);
  const [pending, setPending] = useState<Pending | null>(null);
  const settle = useRef<((managerId: string | null) => void) | null>(null);

  const finish = useCallback((managerId: string | null) => {
    const resolve = settle.current;
    settle.current = null;
    setPending(null);
    resolve?.(managerId);
  }, []);

  const requestApproval = useCallback<RequestApproval>(
    (request) => {
      const requestedBy = request.requestedBy ?? signedIn;
      if (requestedBy === null) return Promise.resolve(null);
      settle.current?.(null);
      return new Promise<string | null>((resolve) => {
        settle.current = resolve;
        setPending({ request, requestedBy });
      });
    },
    [signedIn],
  );
  const eligible = useMemo(() => approvers(staff ?? []), [staff]);

  // Whoever asked is gone (signed out, or the idle lock): their request goes with them, so the
  // next person never finds a half-approved void waiting on the screen.
  const askedAs = useRef(signedIn);
  useEffect(() => {
    if (askedAs.current === signedIn) return;
    askedAs.current = signedIn;
    if (settle.current && pending?.request.action !== 'unlock') finish(null);
  }, [signedIn, pending, finish]);

  return (
    <ApprovalContext.Provider value={requestApproval}>
      {props.children}
      {pending && (
        <ApprovalDialog
          request={pending.request}
          approvers={eligible}
          requestedBy={pending.requestedBy}
          preferredId={signedIn}
          onApproved={(managerId) => finish(managerId)}
          onCancel={() => finish(null)}
        />
      )}
    </ApprovalContext.Provider>
  );
}
