import type { SyncedCollection } from '../../shared/schemas/protocol.ts';

export type ChangeListener = (collections: readonly SyncedCollection[]) => void;

/**
 * Tells a store's live streams that pulled collections changed. Publish after the commit, never
 * inside the transaction, so a listener never pulls before the data is visible. In memory for
 * one process; with several server instances PostgreSQL LISTEN/NOTIFY implements the same shape.
 */
export interface ChangeNotifier {
  publish(storeId: string, collections: readonly SyncedCollection[]): void;
  /** Returns the unsubscribe function. */
  subscribe(storeId: string, listener: ChangeListener): () => void;
}

export function createMemoryNotifier(onListenerError: (error: unknown) => void): ChangeNotifier {
  const listeners = new Map<string, Set<ChangeListener>>();
  return {
    publish(storeId, collections) {
      // A copy: a listener may unsubscribe while we iterate.
      for (const listener of [...(listeners.get(storeId) ?? [])]) {
        try {
          listener(collections);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(storeId, listener) {
      const set = listeners.get(storeId) ?? new Set<ChangeListener>();
      set.add(listener);
      listeners.set(storeId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(storeId) === set) listeners.delete(storeId);
      };
    },
  };
}
