import type { SyncedCollection } from '../../shared/schemas/protocol.ts';

export type ChangeListener = (collections: readonly SyncedCollection[]) => void;
/** Told once when a manager revokes the terminal: the sentence to show at the counter. */
export type RevokedListener = (message: string) => void;

/**
 * Tells a store's live streams that pulled collections changed. Publish after the commit, never
 * inside the transaction, so a listener never pulls before the data is visible. In memory for
 * one process; with several server instances PostgreSQL LISTEN/NOTIFY implements the same shape.
 */
export interface ChangeNotifier {
  /**
   * `terminalId`: the change concerns that terminal alone (the statuses of the codes it issued,
   * which only it pulls): the store's other terminals' streams are not told.
   */
  publish(storeId: string, collections: readonly SyncedCollection[], terminalId?: string): void;
  /**
   * `terminalId`: the listener is that terminal's stream and hears the store's changes and its
   * own, not another terminal's. Without it, it hears every change of the store. Returns the
   * unsubscribe function.
   */
  subscribe(storeId: string, listener: ChangeListener, terminalId?: string): () => void;
  /**
   * A terminal was revoked: its open streams end at once instead of at its next request (the
   * auth hook refuses that one anyway). Signal after the revocation committed.
   */
  revoke(terminalId: string, message: string): void;
  /** Returns the unsubscribe function. */
  onRevoked(terminalId: string, listener: RevokedListener): () => void;
}

/** Who a code's status change concerns: its store, and the terminal that sold it. */
export type StatusOwner = { readonly storeId: string; readonly terminalId: string };

/**
 * Tells the till that sold a code that its status changed: since server migration 0013 only that
 * till pulls it, so the store's other tills would pull and get nothing.
 */
export function tellStatusOwner(notifier: ChangeNotifier, owner: StatusOwner): void {
  notifier.publish(owner.storeId, ['entitlements'], owner.terminalId);
}

/** Listener sets keyed by store or terminal id; a listener may leave while others are told. */
function registry<Listener>() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    each(key: string, call: (listener: Listener) => void): void {
      // A copy: a listener may unsubscribe while we iterate.
      for (const listener of [...(listeners.get(key) ?? [])]) call(listener);
    },
    add(key: string, listener: Listener): () => void {
      const set = listeners.get(key) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(key, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
      };
    },
  };
}

/** A store's listener, and the terminal whose stream it is (none: it hears the whole store). */
type StoreListener = { readonly listener: ChangeListener; readonly terminalId?: string };

export function createMemoryNotifier(onListenerError: (error: unknown) => void): ChangeNotifier {
  const changes = registry<StoreListener>();
  const revocations = registry<RevokedListener>();
  const safely = (call: () => void): void => {
    try {
      call();
    } catch (error) {
      onListenerError(error);
    }
  };
  return {
    publish(storeId, collections, terminalId) {
      changes.each(storeId, ({ listener, terminalId: hearer }) => {
        if (terminalId !== undefined && hearer !== undefined && hearer !== terminalId) return;
        safely(() => {
          listener(collections);
        });
      });
    },
    subscribe: (storeId, listener, terminalId) =>
      changes.add(storeId, terminalId === undefined ? { listener } : { listener, terminalId }),
    revoke(terminalId, message) {
      revocations.each(terminalId, (listener) => {
        safely(() => {
          listener(message);
        });
      });
    },
    onRevoked: (terminalId, listener) => revocations.add(terminalId, listener),
  };
}
