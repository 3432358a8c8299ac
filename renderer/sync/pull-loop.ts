import type { RxCollection } from 'rxdb';
import { BehaviorSubject, Subject, filter, firstValueFrom, type Observable } from 'rxjs';
import type { PullResponse } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { ServerRefusal } from './api-client.ts';

/** The part of a replication the sync controller uses: the pull loop and RxDB's push both have it. */
export type Replication = {
  /** Emits true once canceled. */
  readonly canceled$: Observable<boolean>;
  /** Errors of a pull or a write; the loop retries after `retryMs` either way. */
  readonly error$: Observable<unknown>;
  /** Resolves once the latest server state was pulled and nothing more is asked for. */
  awaitInSync(): Promise<true>;
  /** Stops pulling; resolves when a page being written is in the store. */
  cancel(): Promise<unknown>;
};

/** Where the loop keeps its checkpoint: one RxDB local document per identifier. */
export type CheckpointStore = Pick<EntitleDatabase, 'getLocal' | 'upsertLocal'>;

type StoredCheckpoint = { readonly seq: number };

/** A catch-up of more than one page, as far as it got: what is stored and what the server has left. */
export type PullProgress = {
  /** Documents stored since this catch-up began (a failed page and its retries included). */
  readonly pulled: number;
  /** Documents the server said follow the last stored page; null from a server before v5. */
  readonly remaining: number | null;
};

export type PullLoopOptions<T> = {
  readonly collection: RxCollection<T>;
  readonly checkpoints: CheckpointStore;
  /** Names the checkpoint: a new identifier starts from seq 0. */
  readonly identifier: string;
  /** Fetches the documents after `seq`, at most `limit` of them, oldest first. */
  readonly fetchPage: (seq: number, limit: number) => Promise<PullResponse<T>>;
  readonly pageSize: number;
  readonly retryMs: number;
  /** Each emission pulls again (the server announced a change, or the cashier asked). */
  readonly resync$: Observable<unknown>;
  /**
   * The first pull waits for this (another loop's first pull, firstPullSettled): Chromium writes
   * one origin's IndexedDB databases one transaction at a time, so two loops pulling at once
   * each take twice as long.
   */
  readonly startAfter?: Promise<unknown>;
  /**
   * Told after each stored page of a catch-up longer than one page, and null once it ends (caught
   * up or canceled): a small pull after a change never shows progress. A failure does not end
   * it: the progress stays as it was while the loop waits to retry, and counts on from there.
   */
  readonly onProgress?: (progress: PullProgress | null) => void;
};

/**
 * The largest page every server of this protocol version answers: servers before pages of
 * PULL_BATCH_LIMIT (2,000) refuse a larger `limit` with 400, and the loop then asks for this many.
 */
export const OLDER_SERVER_PAGE_SIZE = 500;

/** RxDB's local document ids are at most 128 characters long. */
const LOCAL_ID_MAX = 128;

/** The local document id of a loop's checkpoint: the identifier itself, hashed if too long. */
export function checkpointDocId(identifier: string): string {
  if (identifier.length <= LOCAL_ID_MAX) return identifier;
  // FNV-1a over the whole identifier, so two long identifiers sharing a prefix still differ.
  let hash = 0x811c9dc5;
  for (let i = 0; i < identifier.length; i += 1) {
    hash ^= identifier.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const suffix = `#${hash.toString(16).padStart(8, '0')}`;
  return identifier.slice(0, LOCAL_ID_MAX - suffix.length) + suffix;
}

/**
 * Pulls a server-written collection page by page into the local store: the server is its only
 * writer and the till never changes it, so there is nothing to push and no conflict to resolve.
 * RxDB's replication protocol (a fork and an "assumed master" meta document per pulled document)
 * cost more than the data itself on a first sync; this writes each page with one bulkUpsert and
 * keeps the server's seq in a local document. Pulls until a short page, then again on each
 * `resync$` emission; after an error it waits `retryMs` (or the next `resync$`) and tries again.
 */
export function startPullLoop<T>(options: PullLoopOptions<T>): Replication {
  const canceled$ = new BehaviorSubject(false);
  const inSync$ = new BehaviorSubject(false);
  const error$ = new Subject<unknown>();
  const docId = checkpointDocId(options.identifier);
  /** A pull was asked for and has not started yet. */
  let wanted = true;
  // Functions, not the variables themselves: they change while the loop awaits.
  const isWanted = () => wanted;
  const isCanceled = () => canceled$.value;
  let wake: (() => void) | null = null;
  let writing: Promise<unknown> = Promise.resolve();
  let pageSize = options.pageSize;
  /** Documents stored by the catch-up under way, across its retries. */
  let pulled = 0;
  /** The seq of the last page stored; null until read from the checkpoint document. */
  let seq: number | null = null;

  const ask = () => {
    wanted = true;
    inSync$.next(false);
    wake?.();
  };
  const resyncs = options.resync$.subscribe(ask);

  /** Waits until woken (a resync or cancel), or `ms` if given. */
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

  async function write(documents: PullResponse<T>['documents']): Promise<void> {
    const live: T[] = [];
    const removed: string[] = [];
    const primary = options.collection.schema.primaryPath as string;
    for (const { _deleted, ...doc } of documents) {
      if (_deleted) removed.push(String((doc as Record<string, unknown>)[primary]));
      else live.push(doc as T);
    }
    if (live.length > 0) {
      const { error } = await options.collection.bulkUpsert(live);
      if (error.length > 0)
        throw new Error(`${String(error.length)} pulled documents could not be stored.`, {
          cause: error,
        });
    }
    // The server never deletes what it writes (it deactivates), but a deleted document is
    // deleted here too, as RxDB's replication did.
    if (removed.length > 0) await options.collection.bulkRemove(removed);
  }

  /**
   * Pulls from `from` until a short page. `seq` moves with every page stored, so a failure
   * part-way resumes after the last stored page, not from `from` again.
   */
  async function pullUntilShortPage(from: number): Promise<void> {
    seq = from;
    let asked = options.fetchPage(from, pageSize);
    for (;;) {
      const page = await asked;
      if (isCanceled()) return;
      const next = page.checkpoint.seq;
      const previous = seq;
      const full = page.documents.length >= pageSize;
      if (full) {
        // The next page is asked for while this one is written: the server and the local store
        // work side by side. Its failure, if any, is seen when it is awaited.
        asked = options.fetchPage(next, pageSize);
        asked.catch(() => undefined);
      }
      writing = (async () => {
        await write(page.documents);
        if (next !== previous)
          await options.checkpoints.upsertLocal<StoredCheckpoint>(docId, { seq: next });
      })();
      await writing;
      seq = next;
      pulled += page.documents.length;
      if (!full || isCanceled()) return;
      options.onProgress?.({ pulled, remaining: page.remaining ?? null });
    }
  }

  void (async () => {
    if (options.startAfter) await options.startAfter.catch(() => undefined);
    while (!isCanceled()) {
      if (!wanted) {
        await pause(null);
        continue;
      }
      wanted = false;
      try {
        seq ??=
          (await options.checkpoints.getLocal<StoredCheckpoint>(docId))?.toJSON().data.seq ?? 0;
        await pullUntilShortPage(seq);
        pulled = 0;
        if (!isCanceled()) options.onProgress?.(null);
        if (!isWanted() && !isCanceled()) inSync$.next(true);
      } catch (error) {
        if (isCanceled()) break;
        if (refusesPageSize(error, pageSize)) {
          // An older server: ask again at once for the pages it answers.
          pageSize = OLDER_SERVER_PAGE_SIZE;
          wanted = true;
          continue;
        }
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
      options.onProgress?.(null);
      resyncs.unsubscribe();
      canceled$.next(true);
      wake?.();
      // A page being written finishes; a request in flight is dropped when it answers.
      await writing.catch(() => undefined);
    },
  };
}

/**
 * Resolves once `replication` has pulled everything there was, failed once (it retries by
 * itself) or was canceled: whichever comes first. Never rejects.
 */
export function firstPullSettled(replication: Replication): Promise<void> {
  const settled = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      () => undefined,
    );
  return Promise.race([
    settled(replication.awaitInSync()),
    settled(firstValueFrom(replication.error$)),
    settled(firstValueFrom(replication.canceled$.pipe(filter(Boolean)))),
  ]);
}

/** The server refused the query (400) and the page asked for is larger than every server allows. */
function refusesPageSize(error: unknown, pageSize: number): boolean {
  return (
    error instanceof ServerRefusal && error.status === 400 && pageSize > OLDER_SERVER_PAGE_SIZE
  );
}
