import { BehaviorSubject } from 'rxjs';
import type { PullProgress } from './pull-loop.ts';

/** The pulled collections large enough to show a download's progress for. */
export type ProgressCollection = 'products' | 'entitlements';

export type SyncStatus = {
  /** The live stream to the server is open. */
  readonly online: boolean;
  /** The last thing that went wrong, in words for the cashier, or null. */
  readonly lastError: string | null;
  /** A refusal retrying will not fix (revoked terminal, app too old): the POS must say so. */
  readonly blocked: string | null;
  readonly lastSuccessAt: string | null;
  /** A manager revoked this terminal: the POS locks for good (renderer/sync/RevokedLock.tsx). */
  readonly revoked: boolean;
  /** A pull of more than one page under way (a new till's first sync), per collection. */
  readonly pulling: Readonly<Record<ProgressCollection, PullProgress | null>>;
};

export const INITIAL_SYNC_STATUS: SyncStatus = {
  online: false,
  lastError: null,
  blocked: null,
  lastSuccessAt: null,
  revoked: false,
  pulling: { products: null, entitlements: null },
};

export function createSyncStatus() {
  const subject = new BehaviorSubject<SyncStatus>(INITIAL_SYNC_STATUS);
  return {
    status$: subject.asObservable(),
    get current() {
      return subject.value;
    },
    update(change: Partial<SyncStatus>) {
      const next = { ...subject.value, ...change };
      if (
        Object.entries(change).some(
          ([key, value]) => subject.value[key as keyof SyncStatus] !== value,
        )
      ) {
        subject.next(next);
      }
    },
  };
}
export type SyncStatusStore = ReturnType<typeof createSyncStatus>;
