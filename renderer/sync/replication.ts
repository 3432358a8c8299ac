import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { Subject } from 'rxjs';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { StoreSettings } from '../../shared/schemas/store-settings.ts';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import type { Product } from '../../shared/schemas/product.ts';
import type {
  Checkpoint,
  PullResponse,
  PushResponse,
  TerminalCredentials,
} from '../../shared/schemas/protocol.ts';
import { StreamChange } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { pendingCount$ } from '../history/queries.ts';
import type { FetchLike } from './api-client.ts';
import { ServerRefusal, ServerUnreachable, createApiClient } from './api-client.ts';
import { isRevocation } from './revocation.ts';
import { readEventStream } from './sse.ts';
import type { SyncStatusStore } from './sync-status.ts';
import { createSyncStatus } from './sync-status.ts';

export type SyncOptions = {
  readonly fetch?: FetchLike;
  /** How long to wait before retrying after a failure. */
  readonly retryMs?: number;
  /** The stream is considered dead after this long without a byte (the server pings every 15 s). */
  readonly streamIdleMs?: number;
  readonly now?: () => Date;
};

export type SyncController = {
  readonly status: SyncStatusStore;
  /** Pull and push now instead of waiting for the next retry. */
  syncNow(): void;
  /** Resolves when everything local has been pushed and the latest server state pulled. */
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
};

type PulledCollection = 'products' | 'entitlements' | 'staff' | 'settings';

/**
 * Replicates the POS's store with the sync server (DESIGN "Sync"): products and entitlement
 * statuses are pulled with the server's sequence as checkpoint, sales and voids are pushed, and a
 * server-sent-events stream says when to pull again. Works the same in the browser and in Node.
 */
export function startSync(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  options: SyncOptions = {},
): SyncController {
  const status = createSyncStatus();
  const now = options.now ?? (() => new Date());
  // The backlog rides along with every request, so the dashboard can show what a till holds.
  let pendingNow: number | null = null;
  const pendingWatch = pendingCount$(db, credentials.terminalId).subscribe((count) => {
    pendingNow = count;
  });
  const client = createApiClient({
    serverUrl: credentials.serverUrl,
    token: credentials.token,
    pending: () => pendingNow,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const retryTime = options.retryMs ?? 3000;
  const identity = `${client.serverUrl}|${credentials.terminalId}`;
  const resync: Record<PulledCollection, Subject<'RESYNC'>> = {
    products: new Subject<'RESYNC'>(),
    entitlements: new Subject<'RESYNC'>(),
    staff: new Subject<'RESYNC'>(),
    settings: new Subject<'RESYNC'>(),
  };

  /** Every request goes through here, so the status bar knows what happened last. */
  async function tracked<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      status.update({ lastError: null, blocked: null, lastSuccessAt: now().toISOString() });
      return result;
    } catch (error) {
      if (error instanceof ServerUnreachable)
        status.update({ online: false, lastError: error.message });
      else if (error instanceof ServerRefusal && error.isPermanent)
        status.update({
          blocked: error.message,
          lastError: error.message,
          ...(isRevocation(error) ? { revoked: true } : {}),
        });
      else status.update({ lastError: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  function pullReplication<T extends Product | EntitlementStatus | StaffMember | StoreSettings>(
    name: PulledCollection,
  ): RxReplicationState<T, Checkpoint> {
    return replicateRxCollection<T, Checkpoint>({
      collection: db[name] as never,
      // The schema version is part of the identifier: a migrated copy fills what the old build
      // lacked with placeholders (a product's template: null), and only the server knows the
      // real values. A new identifier starts a fresh pull from seq 0 after each schema bump;
      // resuming from the old checkpoint would keep the placeholders until the row changed.
      replicationIdentifier: `entitle-${name}-schema${String(db[name].schema.version)}-${identity}`,
      live: true,
      retryTime,
      waitForLeadership: false,
      pull: {
        batchSize: 200,
        stream$: resync[name].asObservable(),
        handler: (checkpoint, batchSize) =>
          tracked(() =>
            client.request<PullResponse<T>>(
              `/sync/${name}/pull?seq=${String(checkpoint?.seq ?? 0)}&limit=${String(batchSize)}`,
            ),
          ),
      },
    });
  }

  const products = pullReplication<Product>('products');
  const entitlements = pullReplication<EntitlementStatus>('entitlements');
  const staff = pullReplication<StaffMember>('staff');
  const settings = pullReplication<StoreSettings>('settings');
  /**
   * Sales and voids are pushed the same way: the server answers accepted/rejected per id and
   * those answers are kept in sync_acks, the basis of "waiting to sync" and of refusals shown on
   * the sale.
   */
  function pushReplication<T extends Sale | SaleVoid | SaleRefund | AuditEvent>(
    name: 'sales' | 'voids' | 'refunds' | 'audit_events',
  ): RxReplicationState<T, Checkpoint> {
    const route = name === 'audit_events' ? 'audit' : name;
    return replicateRxCollection<T, Checkpoint>({
      collection: db[name] as never,
      replicationIdentifier: `entitle-${name}-${identity}`,
      live: true,
      retryTime,
      waitForLeadership: false,
      push: {
        batchSize: 50,
        handler: async (rows) => {
          const response = await tracked(() =>
            client.request<PushResponse>(`/sync/${route}/push`, {
              method: 'POST',
              body: {
                rows: rows.map((row) => ({
                  newDocumentState: row.newDocumentState,
                  assumedMasterState: row.assumedMasterState ?? null,
                })),
              },
            }),
          );
          const at = now().toISOString();
          await db.sync_acks.bulkUpsert([
            ...response.accepted.map((id) => ({ id, outcome: 'accepted' as const, at })),
            ...response.rejected.map(({ id, reason }) => ({
              id,
              outcome: 'rejected' as const,
              reason: reason.slice(0, 500),
              at,
            })),
          ]);
          // Sales and voids are immutable: the server never hands back a version to merge
          // (DESIGN invariant 2).
          return [];
        },
      },
    });
  }

  const sales = pushReplication<Sale>('sales');
  const voids = pushReplication<SaleVoid>('voids');
  const refunds = pushReplication<SaleRefund>('refunds');
  const auditEvents = pushReplication<AuditEvent>('audit_events');
  const replications = [
    products,
    entitlements,
    staff,
    settings,
    sales,
    voids,
    refunds,
    auditEvents,
  ];
  for (const replication of replications) {
    // Errors are already in the status via tracked(); RxDB retries after retryTime.
    replication.error$.subscribe(() => undefined);
  }

  function syncNow() {
    for (const subject of Object.values(resync)) subject.next('RESYNC');
    sales.reSync();
    voids.reSync();
    refunds.reSync();
    auditEvents.reSync();
  }

  const abort = new AbortController();
  const streamIdleMs = options.streamIdleMs ?? 45_000;
  const streaming = (async () => {
    let delay = 500;
    while (!abort.signal.aborted) {
      const attempt = new AbortController();
      const stopAttempt = () => attempt.abort();
      abort.signal.addEventListener('abort', stopAttempt);
      let idle = setTimeout(stopAttempt, streamIdleMs);
      try {
        const response = await tracked(() => client.open('/sync/stream', attempt.signal));
        if (!response.body) throw new Error('The server sent an empty stream.');
        await readEventStream(
          response.body,
          (event) => {
            if (event.event === 'ready') {
              delay = 500;
              status.update({ online: true, lastError: null });
              syncNow();
            } else if (event.event === 'revoked') {
              // The server says so at once on the live stream, before the next request is refused.
              status.update({ revoked: true });
            } else if (event.event === 'change') {
              const change = StreamChange.safeParse(JSON.parse(event.data));
              if (change.success)
                for (const name of change.data.collections) resync[name].next('RESYNC');
            }
          },
          () => {
            clearTimeout(idle);
            idle = setTimeout(stopAttempt, streamIdleMs);
          },
          attempt.signal,
        );
      } catch {
        // Reported by tracked() or an abort; either way, reconnect below.
      } finally {
        clearTimeout(idle);
        abort.signal.removeEventListener('abort', stopAttempt);
      }
      status.update({ online: false });
      // A revoked terminal stops listening: the server will refuse every reconnect.
      if (status.current.revoked) break;
      await sleepUnlessAborted(delay, abort.signal);
      delay = Math.min(delay * 2, 10_000);
    }
  })();

  return {
    status,
    syncNow,
    async awaitInSync() {
      await Promise.all(replications.map((replication) => replication.awaitInSync()));
    },
    async stop() {
      abort.abort();
      pendingWatch.unsubscribe();
      await Promise.all(replications.map((replication) => replication.cancel()));
      await streaming;
    },
  };
}

/** Waits `ms`, or less if `signal` aborts first, so stop() never waits out a reconnect delay. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
