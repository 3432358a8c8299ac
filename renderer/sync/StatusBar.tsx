import { useMemo, useState } from 'react';
import { pendingCountOrRecounting$, rejectedCount$ } from '../history/queries.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { PullProgressNote } from './PullProgressNote.tsx';
import { INITIAL_SYNC_STATUS } from './sync-status.ts';

/**
 * Always visible: is the server reachable, how many sales wait to reach it, and how far a first
 * sync's download has got.
 */
export function StatusBar() {
  const { db, sync, credentials } = usePos();
  const status = useObservable(sync.status.status$, INITIAL_SYNC_STATUS);
  // null while a count is being taken (at start, and after every write): the bar keeps showing
  // the last count, never "All sales synced" before one is known, and `data-count` is only set
  // when the count is current (the e2e tests wait on it).
  const current = useObservable<number | null>(
    useMemo(
      () => pendingCountOrRecounting$(db, credentials.terminalId),
      [db, credentials.terminalId],
    ),
    null,
  );
  const [lastKnown, setLastKnown] = useState<number | null>(null);
  if (current !== null && current !== lastKnown) setLastKnown(current);
  const pending = current ?? lastKnown;
  const rejected = useObservable(
    useMemo(() => rejectedCount$(db), [db]),
    0,
  );
  return (
    <div className="status-bar" aria-live="polite">
      <span
        className={`pill ${status.online ? 'pill-ok' : 'pill-off'}`}
        data-testid="online-status"
      >
        {status.online ? 'Online' : 'Offline'}
      </span>
      <PullProgressNote pulling={status.pulling} />
      <span className="pending" data-testid="pending-count" data-count={current ?? undefined}>
        {pending === null
          ? 'Counting sales to sync'
          : pending === 0
            ? 'All sales synced'
            : `${String(pending)} waiting to sync`}
      </span>
      {rejected > 0 && (
        <span className="pill pill-bad" data-testid="rejected-count">
          {rejected} refused by server — see Sales
        </span>
      )}
      {!status.online && pending !== null && pending > 0 && (
        <button type="button" className="link-button" onClick={() => sync.syncNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}

/** A refusal that blocks syncing until someone acts (revoked terminal, app too old). */
export function BlockedBanner() {
  const { sync } = usePos();
  const status = useObservable(sync.status.status$, INITIAL_SYNC_STATUS);
  if (!status.blocked) return null;
  return (
    <div className="banner banner-bad" role="alert">
      Sync stopped: {status.blocked} Sales made now are kept on this terminal.
    </div>
  );
}
