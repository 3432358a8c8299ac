import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * Who is signed in at this counter: short-lived UI state (STYLE 6), so only ids, never copies of
 * staff documents. Kept in the tab's sessionStorage, so a reload or a crash of the page keeps the
 * cashier signed in (the cart survives a reload too), while a new window or a restarted app asks
 * for a PIN again.
 */
export type StaffSessionState = {
  /** The signed-in member, or null: then the sign-in screen is all there is. */
  readonly staffId: string | null;
  /** Who was signed in before the last lock, preselected on the sign-in screen. */
  readonly previousStaffId: string | null;
  /** Why the screen is locked, when it was not a plain sign-out. */
  readonly lockedBy: 'idle' | null;
};

export type StaffSession = StoreApi<StaffSessionState> & {
  signIn(staffId: string): void;
  signOut(reason: 'manual' | 'idle'): void;
};

export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'entitle-staff-session';

export function createStaffSession(storage: SessionStorageLike | null): StaffSession {
  const stored = storage?.getItem(KEY) ?? null;
  const store = createStore<StaffSessionState>(() => ({
    staffId: stored,
    previousStaffId: stored,
    lockedBy: null,
  }));
  return Object.assign(store, {
    signIn(staffId: string) {
      storage?.setItem(KEY, staffId);
      store.setState({ staffId, previousStaffId: staffId, lockedBy: null });
    },
    signOut(reason: 'manual' | 'idle') {
      storage?.removeItem(KEY);
      const previous = store.getState().staffId;
      store.setState({
        staffId: null,
        previousStaffId: previous,
        lockedBy: reason === 'idle' ? 'idle' : null,
      });
    },
  });
}
