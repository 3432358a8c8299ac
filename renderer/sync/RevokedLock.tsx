import { useEffect, useMemo } from 'react';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { rememberRevocation, revokedOnDevice$ } from './revocation.ts';
import { INITIAL_SYNC_STATUS } from './sync-status.ts';
import { TerminalName } from '../app/TerminalName.tsx';

/**
 * True once the server said this terminal is revoked, in this run or an earlier one (the mark is
 * kept on the device, so a restart offline does not reopen the till).
 */
export function useTerminalRevoked(): boolean {
  const { db, sync } = usePos();
  const status = useObservable(sync.status.status$, INITIAL_SYNC_STATUS);
  const remembered = useObservable(
    useMemo(() => revokedOnDevice$(db), [db]),
    false,
  );
  useEffect(() => {
    if (status.revoked && !remembered) void rememberRevocation(db, new Date());
  }, [db, status.revoked, remembered]);
  return status.revoked || remembered;
}

/** The whole screen, with nothing else usable: a revoked terminal can neither sell nor sync. */
export function RevokedLock() {
  return (
    <main className="revoked-lock" role="alert" aria-labelledby="revoked-title">
      <h1 id="revoked-title">This terminal is locked</h1>
      <p>
        This terminal was revoked on the dashboard. It can no longer sell or sync. Sales that had
        not synced stay on this device and are not deleted: tell a manager, who sees how many are
        waiting on the dashboard's Terminals page.
      </p>
      <p className="muted">
        <TerminalName />
      </p>
    </main>
  );
}
