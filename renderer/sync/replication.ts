import { Subject, filter, firstValueFrom } from 'rxjs';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { StoreSettings } from '../../shared/schemas/store-settings.ts';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import type { Product } from '../../shared/schemas/product.ts';
import type {
  PullResponse,
  PushResponse,
  TerminalCredentials,
} from '../../shared/schemas/protocol.ts';
import { PULL_BATCH_LIMIT, PUSH_BATCH_LIMIT, StreamChange } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { pendingCount$ } from '../history/queries.ts';
import type { FetchLike } from './api-client.ts';
import { ServerRefusal, ServerUnreachable, createApiClient } from './api-client.ts';
import {
  firstPullSettled,
  startPullLoop,
  type PullProgress,
  type Replication,
} from './pull-loop.ts';
import { acksOf, startPushLoop } from './push-loop.ts';
import { isRevocation } from './revocation.ts';
import { readEventStream } from './sse.ts';
import type { ProgressCollection, SyncStatusStore } from './sync-status.ts';
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
type PulledDocument = Product | EntitlementStatus | StaffMember | StoreSettings;

/** The local document holding the server generation this till last knew. */
export const GENERATION_DOC = 'sync-generation';

export type GenerationHint = {
  /** The generation the server last announced (GENERATION_HEADER). */
  readonly generation: number;
  /**
   * The generation the replication identifiers carry: null until the server's generation first
   * changes (the first one ever seen is simply kept: nothing to push again for it).
   */
  readonly keyedOn: number | null;
};

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
    onGeneration: (generation) => {
      generationSeen(generation);
    },
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

  const pushResync = new Subject<'RESYNC'>();

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

  function showProgress(name: ProgressCollection, progress: PullProgress | null): void {
    const pulling = status.current.pulling;
    if (progress === null && pulling[name] === null) return;
    status.update({ pulling: { ...pulling, [name]: progress } });
  }

  /**
   * The server is the only writer of these collections, so they are pulled by a plain loop
   * (pull-loop.ts), not RxDB's replication protocol: one bulkUpsert per page, the server's seq
   * kept in a local document named by the identifier below.
   */
  function pullReplication(
    name: PulledCollection,
    keyedOn: number | null,
    startAfter?: Promise<void>,
  ): Replication {
    return startPullLoop<PulledDocument>({
      collection: db[name] as never,
      checkpoints: db,
      // The schema version is part of the identifier: a migrated copy fills what the old build
      // lacked with placeholders (a product's template: null), and only the server knows the
      // real values. A new identifier starts a fresh pull from seq 0 after each schema bump;
      // resuming from the old checkpoint would keep the placeholders until the row changed.
      // So is the server's generation once it changed (a restore): pulled again from seq 0.
      // Statuses: "-own" since the server sends only this till's codes; the store's that an
      // earlier build pulled are dropped (data/database.ts) and its own pulled again from seq 0.
      identifier: `entitle-${name}${name === 'entitlements' ? '-own' : ''}-schema${String(db[name].schema.version)}${generationPart(keyedOn)}-${identity}`,
      pageSize: PULL_BATCH_LIMIT,
      retryMs: retryTime,
      resync$: resync[name].asObservable(),
      ...(startAfter ? { startAfter } : {}),
      ...(name === 'products' || name === 'entitlements'
        ? { onProgress: (progress: PullProgress | null) => showProgress(name, progress) }
        : {}),
      fetchPage: (seq, limit) =>
        tracked(() =>
          client.request<PullResponse<PulledDocument>>(
            `/sync/${name}/pull?seq=${String(seq)}&limit=${String(limit)}`,
          ),
        ),
    });
  }

  /**
   * Sales, voids, refunds and audit events are pushed by push-loop.ts: the server answers
   * accepted/rejected per id and those answers are kept in sync_acks, the basis of "waiting to
   * sync" and of refusals shown on the sale.
   */
  function pushReplication(
    name: 'sales' | 'voids' | 'refunds' | 'audit_events',
    keyedOn: number | null,
  ): Replication {
    const route = name === 'audit_events' ? 'audit' : name;
    return startPushLoop<Sale | SaleVoid | SaleRefund | AuditEvent>({
      collection: db[name] as never,
      checkpoints: db,
      // A new generation (the server was restored to a backup) is a new identifier, so a new
      // checkpoint: every local fact is pushed once more; the server keeps one copy of each.
      identifier: `entitle-push-${name}${generationPart(keyedOn)}-${identity}`,
      // As many rows as the server takes in one request: it writes each request in one
      // transaction (one commit, one lock), so its cost per sale falls with the batch (1.30 ->
      // 0.88 ms of server CPU per sale from 50 to 100, bench/pushfast/push-rate.ts).
      batchSize: PUSH_BATCH_LIMIT,
      inFlight: PUSH_IN_FLIGHT,
      retryMs: retryTime,
      resync$: pushResync.asObservable(),
      send: (rows) =>
        tracked(() =>
          client.request<PushResponse>(`/sync/${route}/push`, {
            method: 'POST',
            body: {
              rows: rows.map((row) => ({ newDocumentState: row, assumedMasterState: null })),
            },
          }),
        ),
      acknowledge: async (response) => {
        // Sales and voids are immutable: the server never hands back a version to merge
        // (DESIGN invariant 2).
        const { error } = await db.sync_acks.bulkUpsert(acksOf(response, now().toISOString()));
        if (error.length > 0)
          throw new Error(`${String(error.length)} acknowledgements could not be stored.`, {
            cause: error,
          });
      },
      accepted: async (ids) => {
        const acks = await db.sync_acks.storageInstance.findDocumentsById([...ids], false);
        return new Set(acks.filter((ack) => ack.outcome === 'accepted').map((ack) => ack.id));
      },
    });
  }

  type Replications = { readonly all: readonly Replication[] };

  function startReplications(keyedOn: number | null): Replications {
    const products = pullReplication('products', keyedOn);
    const all: Replication[] = [
      products,
      // The catalogue first: a new till can sell once it has its products, while the statuses
      // serve only receipts of sales made here. Pulled at once, each would wait behind the
      // other's pages in IndexedDB (pull-loop.ts, startAfter).
      pullReplication('entitlements', keyedOn, firstPullSettled(products)),
      pullReplication('staff', keyedOn),
      pullReplication('settings', keyedOn),
      pushReplication('sales', keyedOn),
      pushReplication('voids', keyedOn),
      pushReplication('refunds', keyedOn),
      pushReplication('audit_events', keyedOn),
    ];
    for (const replication of all) {
      // Errors are already in the status via tracked(); each retries after retryTime.
      replication.error$.subscribe(() => undefined);
    }
    return { all };
  }

  /**
   * The server's generation, as the till knows it. Every change of the replications happens in
   * `lifecycle`, one after the other: first reading the stored hint and starting, then one restart
   * per new generation.
   */
  let hint: GenerationHint | null = null;
  let active: Replications | null = null;
  const halted = { now: false };
  const isHalted = () => halted.now;
  let announced: number | null = null;
  let lifecycle: Promise<void> = (async () => {
    const stored = await db.getLocal<GenerationHint>(GENERATION_DOC);
    hint = stored ? stored.toJSON().data : null;
    // A response may have come first (the live stream starts at once): adoptGeneration, queued
    // behind this, compares it with the stored hint.
    announced ??= hint?.generation ?? null;
    if (!halted.now) active = startReplications(hint?.keyedOn ?? null);
  })();

  /** Called with the generation of every response; acts once per new one. */
  function generationSeen(generation: number): void {
    if (generation === announced) return;
    announced = generation;
    lifecycle = lifecycle
      .then(() => adoptGeneration(generation))
      .catch((error: unknown) => {
        status.update({ lastError: error instanceof Error ? error.message : String(error) });
      });
  }

  /**
   * The first generation ever seen is only stored. A different one means the server's database
   * was restored, perhaps to a point before sales it had confirmed: the confirmations no longer
   * hold (those sales wait to sync again), and the replications start over under identifiers
   * with the new generation, pushing everything once and pulling from seq 0.
   */
  async function adoptGeneration(generation: number): Promise<void> {
    if (halted.now || hint?.generation === generation) return;
    const first = hint === null;
    hint = { generation, keyedOn: first ? null : generation };
    await db.upsertLocal<GenerationHint>(GENERATION_DOC, hint);
    if (first) return;
    const previous = active;
    active = null;
    await Promise.all(previous?.all.map((replication) => replication.cancel()) ?? []);
    await db.sync_acks.find({ selector: { outcome: 'accepted' } }).remove();
    if (!isHalted()) active = startReplications(hint.keyedOn);
  }

  function syncNow() {
    for (const subject of Object.values(resync)) subject.next('RESYNC');
    pushResync.next('RESYNC');
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
      // A restart for a new generation cancels the replications being awaited: await the new ones.
      for (;;) {
        const awaited = lifecycle;
        await awaited;
        const current = active;
        if (current === null) return;
        await Promise.all(current.all.map(inSyncOrCanceled));
        if (current === active && awaited === lifecycle) return;
      }
    },
    async stop() {
      halted.now = true;
      abort.abort();
      pendingWatch.unsubscribe();
      await lifecycle;
      await Promise.all(active?.all.map((replication) => replication.cancel()) ?? []);
      await streaming;
    },
  };
}

/** Batches of each pushed collection waiting for the server's answer at once. */
export const PUSH_IN_FLIGHT = 3;

/** The part of a replication identifier that names the server generation it was made for. */
function generationPart(keyedOn: number | null): string {
  return keyedOn === null ? '' : `-gen${String(keyedOn)}`;
}

/** Resolves when the replication is in sync, or when it was canceled (it never will be then). */
async function inSyncOrCanceled(replication: Replication): Promise<void> {
  await Promise.race([
    replication.awaitInSync(),
    firstValueFrom(replication.canceled$.pipe(filter(Boolean))),
  ]);
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
