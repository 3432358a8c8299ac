/**
 * Pushes the facts a till writes (sales, voids, refunds, audit events) by a plain loop instead of
 * RxDB's replicateRxCollection, which DESIGN "Sync" names. Why: the till is the only writer of
 * these collections and the server never hands a version back (facts are immutable, DESIGN
 * invariant 2), so RxDB's protocol had nothing to resolve, yet for every pushed fact it kept a
 * fork and an "assumed master" meta document, re-read them, and kept ONE request in flight per
 * collection: in the push profile (bench/sync-push/profile.ts) its replication was about a third
 * of the POS's CPU and the server sat idle a quarter of the time between requests. This loop reads
 * the facts in storage order (RxDB's `_meta.lwt` index, as RxDB's push did), keeps a few requests
 * in flight, writes each answer's acknowledgements with one bulk write, and moves its checkpoint
 * (a local document, as the pull loop keeps) in the order the facts were read, only past facts
 * the server answered for: a fact is never taken as pushed before its answer is stored.
 */
import type { RxCollection, RxDocumentData } from 'rxdb';
import { getChangedDocumentsSince } from 'rxdb';
import {
  BehaviorSubject,
  Subject,
  asyncScheduler,
  filter,
  firstValueFrom,
  observeOn,
  type Observable,
} from 'rxjs';
import type { PushResponse } from '../../shared/schemas/protocol.ts';
import type { SyncAckDoc } from '../data/local-schemas.ts';
import { checkpointDocId, type CheckpointStore, type Replication } from './pull-loop.ts';

/** Where the loop has pushed up to: the `_meta.lwt` and id of the last fact answered for. */
export type PushCheckpoint = { readonly lwt: number; readonly id: string };

/** A fact as it goes on the wire: the stored document without RxDB's meta fields. */
export type PushedRow<T> = T & { readonly _deleted: boolean };

export type PushLoopOptions<T> = {
  readonly collection: RxCollection<T>;
  readonly checkpoints: CheckpointStore;
  /** Names the checkpoint: a new identifier pushes every fact again (a new server generation). */
  readonly identifier: string;
  /** Sends one batch; resolves with the server's answer for each of its facts. */
  readonly send: (rows: readonly PushedRow<T>[]) => Promise<PushResponse>;
  /** Stores an answer's acknowledgements (one bulk write); the checkpoint moves after it. */
  readonly acknowledge: (response: PushResponse) => Promise<void>;
  /**
   * Without a checkpoint (a till that pushed with RxDB's replication before, or a new server
   * generation), which of these facts the server already accepted, so they are not pushed again.
   */
  readonly accepted: (ids: readonly string[]) => Promise<ReadonlySet<string>>;
  readonly batchSize: number;
  /** Requests waiting for an answer at once. */
  readonly inFlight: number;
  readonly retryMs: number;
  /** Each emission pushes again (a fact was written, the stream reconnected, the cashier asked). */
  readonly resync$: Observable<unknown>;
};

type Batch<T> = {
  /** The position after the batch's last fact. */
  readonly through: PushCheckpoint;
  /** null when every fact of the batch was already accepted: nothing sent. */
  readonly answer: Promise<PushResponse> | null;
  readonly rows: readonly PushedRow<T>[];
};

/**
 * Pushes every fact after the stored checkpoint, `inFlight` batches at a time, then again on each
 * `resync$` emission and on every local write to the collection. After a failure it waits
 * `retryMs` (or the next resync) and pushes again from the checkpoint: answers that came after the
 * failed batch are dropped and those facts are pushed once more (the server keeps one copy).
 */
export function startPushLoop<T>(options: PushLoopOptions<T>): Replication {
  const canceled$ = new BehaviorSubject(false);
  const inSync$ = new BehaviorSubject(false);
  const error$ = new Subject<unknown>();
  const docId = checkpointDocId(options.identifier);
  const primary = options.collection.schema.primaryPath as string;
  let wanted = true;
  const isWanted = () => wanted;
  const isCanceled = () => canceled$.value;
  let wake: (() => void) | null = null;
  let writing: Promise<unknown> = Promise.resolve();
  /** Answered-for position; undefined until read from its local document. */
  let stored: PushCheckpoint | null | undefined;

  const ask = () => {
    wanted = true;
    inSync$.next(false);
    wake?.();
  };
  const resyncs = options.resync$.subscribe(ask);
  // A fact written here (or in another window) is pushed without waiting for a resync.
  // A task later: a sale's insert event fires inside the checkout, and the read of the next batch
  // would otherwise start before the sale's receipt renders.
  const writes = options.collection.eventBulks$
    .pipe(observeOn(asyncScheduler))
    .subscribe((bulk) => {
      if (bulk.events.some((event) => event.operation === 'INSERT')) ask();
    });

  const pause = (ms: number | null) =>
    new Promise<void>((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done() {
        if (timer !== null) clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  /** Reads the next batch after `from` and sends what the server has not accepted yet. */
  async function nextBatch(from: PushCheckpoint, catchUp: boolean): Promise<Batch<T> | null> {
    const { documents } = await getChangedDocumentsSince<T, PushCheckpoint>(
      options.collection.storageInstance,
      options.batchSize,
      from,
    );
    const last = documents.at(-1);
    if (last === undefined) return null;
    const through = { lwt: last._meta.lwt, id: idOf(last) };
    let rows = documents.map(toRow);
    if (catchUp) {
      const accepted = await options.accepted(rows.map(idOf));
      rows = rows.filter((row) => !accepted.has(idOf(row)));
    }
    if (rows.length === 0) return { through, answer: null, rows };
    const answer = options.send(rows);
    // Seen when the batch's turn comes; until then a failure must not be "unhandled".
    answer.catch(() => undefined);
    return { through, answer, rows };
  }

  const idOf = (doc: object): string => String((doc as Record<string, unknown>)[primary]);

  async function pushUntilDone(): Promise<void> {
    stored ??= (await options.checkpoints.getLocal<PushCheckpoint>(docId))?.toJSON().data ?? null;
    // No checkpoint: this identifier never pushed. The facts are read from the start, and those
    // the server already accepted (sync_acks) are skipped, so an upgrade pushes only what waits.
    const catchUp = stored === null;
    let read: PushCheckpoint = stored ?? { lwt: 0, id: '' };
    let exhausted = false;
    const queue: Batch<T>[] = [];
    /** Sends batches until `inFlight` wait for an answer or every fact was read. */
    const fill = async () => {
      while (!exhausted && queue.length < options.inFlight && !isCanceled()) {
        const batch = await nextBatch(read, catchUp);
        if (batch === null) exhausted = true;
        else {
          queue.push(batch);
          read = batch.through;
        }
      }
    };
    try {
      for (;;) {
        await fill();
        const head = queue.shift();
        if (head === undefined || isCanceled()) return;
        const response = head.answer === null ? null : await head.answer;
        if (isCanceled()) return;
        // The next request goes out before this answer is written.
        await fill();
        writing = (async () => {
          if (response !== null) await options.acknowledge(response);
          await options.checkpoints.upsertLocal<PushCheckpoint>(docId, head.through);
          stored = head.through;
        })();
        await writing;
      }
    } finally {
      // A failure or a cancel: the batches still out are answered into the void.
      await Promise.allSettled(queue.flatMap((batch) => (batch.answer ? [batch.answer] : [])));
    }
  }

  void (async () => {
    while (!isCanceled()) {
      if (!wanted) {
        await pause(null);
        continue;
      }
      wanted = false;
      try {
        await pushUntilDone();
        if (!isWanted() && !isCanceled()) inSync$.next(true);
      } catch (error) {
        if (isCanceled()) break;
        error$.next(error);
        wanted = true;
        await pause(options.retryMs);
      }
    }
  })();

  return {
    canceled$: canceled$.asObservable(),
    error$: error$.asObservable(),
    awaitInSync: () => firstValueFrom(inSync$.pipe(filter(Boolean))),
    async cancel() {
      if (canceled$.value) return;
      resyncs.unsubscribe();
      writes.unsubscribe();
      canceled$.next(true);
      wake?.();
      await writing.catch(() => undefined);
    },
  };
}

/** The document as RxDB's replication sent it: without `_meta`, `_rev` and `_attachments`. */
function toRow<T>(doc: RxDocumentData<T>): PushedRow<T> {
  const { _meta, _rev, _attachments, ...row } = doc as RxDocumentData<T> & {
    _attachments?: unknown;
  };
  return row as unknown as PushedRow<T>;
}

/** The acknowledgements of one answer, as sync_acks stores them. */
export function acksOf(response: PushResponse, at: string): SyncAckDoc[] {
  return [
    ...response.accepted.map((id) => ({ id, outcome: 'accepted' as const, at })),
    ...response.rejected.map(({ id, reason }) => ({
      id,
      outcome: 'rejected' as const,
      reason: reason.slice(0, 500),
      at,
    })),
  ];
}
