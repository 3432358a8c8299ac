import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product } from '../../shared/schemas/product.ts';
import type { PullResponse } from '../../shared/schemas/protocol.ts';
import { testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { ServerRefusal } from './api-client.ts';
import {
  OLDER_SERVER_PAGE_SIZE,
  checkpointDocId,
  firstPullSettled,
  startPullLoop,
  type PullProgress,
  type Replication,
} from './pull-loop.ts';

/** A server holding `products` at seqs 1…n, answering pages as the real pull route does. */
function fakeServer(products: Product[]) {
  const server = {
    products,
    pulls: [] as { seq: number; limit: number }[],
    failNext: 0,
    /** Whether pages say how many products follow them (servers of protocol v5 and later). */
    countsRemaining: true,
    fetchPage: (seq: number, limit: number): Promise<PullResponse<Product>> => {
      server.pulls.push({ seq, limit });
      if (server.failNext > 0) {
        server.failNext -= 1;
        return Promise.reject(new Error('The sync server cannot be reached.'));
      }
      const rows = server.products.slice(seq, seq + limit);
      return Promise.resolve({
        documents: rows.map((product) => ({ ...product, _deleted: false })),
        checkpoint: { seq: seq + rows.length },
        ...(server.countsRemaining
          ? { remaining: server.products.length - seq - rows.length }
          : {}),
      });
    },
  };
  return server;
}

/** The server's `nth` request (counting from 1) fails as an unreachable server's would. */
function failRequest(server: ReturnType<typeof fakeServer>, nth: number): void {
  const fetchPage = server.fetchPage;
  let calls = 0;
  server.fetchPage = (seq, limit) =>
    ++calls === nth
      ? Promise.reject(new Error('The sync server cannot be reached.'))
      : fetchPage(seq, limit);
}

const catalogue = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => testProduct(`p${String(from + i)}`, 100 + i));

let db: EntitleDatabase;
let loops: Replication[] = [];
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await Promise.all(loops.map((loop) => loop.cancel()));
  loops = [];
  await db.close();
});

function start(
  server: ReturnType<typeof fakeServer>,
  options: {
    identifier?: string;
    resync$?: Subject<unknown>;
    retryMs?: number;
    pageSize?: number;
    startAfter?: Promise<unknown>;
    onProgress?: (progress: PullProgress | null) => void;
  } = {},
): Replication {
  const loop = startPullLoop<Product>({
    collection: db.products,
    checkpoints: db,
    identifier: options.identifier ?? 'entitle-products-schema2-test',
    fetchPage: (seq, limit) => server.fetchPage(seq, limit),
    pageSize: options.pageSize ?? 3,
    retryMs: options.retryMs ?? 20,
    resync$: options.resync$ ?? new Subject(),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  loops.push(loop);
  return loop;
}

const storedIds = async () =>
  (await db.products.find().exec()).map((doc) => doc.id).sort((a, b) => a.localeCompare(b));

const storedSeq = async (identifier = 'entitle-products-schema2-test') =>
  (await db.getLocal<{ seq: number }>(checkpointDocId(identifier)))?.toJSON().data.seq ?? null;

describe('the pull loop of a server-written collection', () => {
  it('pulls page after page until a short page and keeps the checkpoint', async () => {
    const products = catalogue(7);
    const server = fakeServer(products);
    await start(server).awaitInSync();
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 3, 6]);
    expect(server.pulls.every((pull) => pull.limit === 3)).toBe(true);
    expect(await storedIds()).toEqual(products.map((p) => p.id).sort((a, b) => a.localeCompare(b)));
    expect(await storedSeq()).toBe(7);
    const stored = (await db.products.findOne('p4').exec())?.toMutableJSON();
    expect(stored).toEqual(products[4]);
  });

  it('a full last page is followed by one more pull that comes back empty', async () => {
    const server = fakeServer(catalogue(6));
    await start(server).awaitInSync();
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 3, 6]);
    expect(await storedSeq()).toBe(6);
  });

  it('resumes from the stored checkpoint after a restart, and a new identifier starts from 0', async () => {
    const server = fakeServer(catalogue(4));
    const first = start(server);
    await first.awaitInSync();
    await first.cancel();

    server.products.push(...catalogue(2, 4));
    server.pulls = [];
    const again = start(server);
    await again.awaitInSync();
    expect(server.pulls.map((pull) => pull.seq)).toEqual([4]);
    expect((await storedIds()).length).toBe(6);
    await again.cancel();

    server.pulls = [];
    await start(server, { identifier: 'entitle-products-schema3-test' }).awaitInSync();
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 3, 6]);
    expect(await storedSeq('entitle-products-schema3-test')).toBe(6);
    expect(await storedSeq()).toBe(6);
  });

  it('pulls again on each resync, and a changed document replaces the stored one', async () => {
    const server = fakeServer(catalogue(2));
    const resync$ = new Subject<unknown>();
    const loop = start(server, { resync$ });
    await loop.awaitInSync();
    // The back office renames p0: the server gives it a new seq.
    server.products.push({ ...testProduct('p0', 100), name: 'Renamed' });
    resync$.next('RESYNC');
    await loop.awaitInSync();
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 2]);
    expect((await db.products.findOne('p0').exec())?.name).toBe('Renamed');
    expect(await storedSeq()).toBe(3);
  });

  it('live queries hear what it writes: new documents and changed ones', async () => {
    const server = fakeServer(catalogue(4));
    const resync$ = new Subject<unknown>();
    const names: string[][] = [];
    const watch = db.products
      .find({ sort: [{ id: 'asc' }] })
      .$.subscribe((docs) => names.push(docs.map((doc) => doc.name)));
    const one = db.products.findOne('p1').$;
    const seen: (string | undefined)[] = [];
    const watchOne = one.subscribe((doc) => seen.push(doc?.name));
    const loop = start(server, { resync$ });
    await loop.awaitInSync();
    await waitUntil(() => names.at(-1)?.length === 4);
    server.products.push({ ...testProduct('p1', 101), name: 'Renamed' });
    resync$.next('RESYNC');
    await loop.awaitInSync();
    await waitUntil(() => seen.at(-1) === 'Renamed');
    await waitUntil(() => names.at(-1)?.[1] === 'Renamed');
    expect(names.at(-1)).toHaveLength(4);
    watch.unsubscribe();
    watchOne.unsubscribe();
  });

  it('retries after an error and is not in sync until a pull succeeded', async () => {
    const server = fakeServer(catalogue(2));
    server.failNext = 2;
    const loop = start(server, { retryMs: 10 });
    const errors: unknown[] = [];
    loop.error$.subscribe((error) => errors.push(error));
    await loop.awaitInSync();
    expect(errors).toHaveLength(2);
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 0, 0]);
    expect((await storedIds()).length).toBe(2);
  });

  it('asks an older server, which refuses pages over 500 with 400, for pages of 500 at once', async () => {
    const products = catalogue(1200);
    const server = fakeServer(products);
    const fetchPage = server.fetchPage;
    server.fetchPage = (seq, limit) =>
      limit > OLDER_SERVER_PAGE_SIZE
        ? (server.pulls.push({ seq, limit }),
          Promise.reject(new ServerRefusal(400, 'bad_request', 'The pull query is not valid.')))
        : fetchPage(seq, limit);
    // A minute's retry wait would time the test out: the smaller page is asked for at once.
    const loop = start(server, { pageSize: 2000, retryMs: 60_000 });
    const errors: unknown[] = [];
    loop.error$.subscribe((error) => errors.push(error));
    await loop.awaitInSync();
    expect(server.pulls).toEqual([
      { seq: 0, limit: 2000 },
      { seq: 0, limit: 500 },
      { seq: 500, limit: 500 },
      { seq: 1000, limit: 500 },
    ]);
    expect(errors).toEqual([]);
    expect((await storedIds()).length).toBe(1200);
    expect(await storedSeq()).toBe(1200);
  });

  it('any other refusal waits to retry, at the same page size', async () => {
    const server = fakeServer(catalogue(2));
    const fetchPage = server.fetchPage;
    let refuse = 1;
    server.fetchPage = (seq, limit) => {
      if (refuse === 0) return fetchPage(seq, limit);
      refuse -= 1;
      server.pulls.push({ seq, limit });
      return Promise.reject(new ServerRefusal(503, 'unavailable', 'Try again later.'));
    };
    const loop = start(server, { pageSize: 2000, retryMs: 10 });
    const errors: unknown[] = [];
    loop.error$.subscribe((error) => errors.push(error));
    await loop.awaitInSync();
    expect(errors).toHaveLength(1);
    expect(server.pulls.map((pull) => pull.limit)).toEqual([2000, 2000]);
  });

  it('a resync during the retry wait pulls at once', async () => {
    const server = fakeServer(catalogue(1));
    server.failNext = 1;
    const resync$ = new Subject<unknown>();
    const loop = start(server, { resync$, retryMs: 60_000 });
    await waitUntil(() => server.pulls.length === 1);
    resync$.next('RESYNC');
    await loop.awaitInSync();
    expect((await storedIds()).length).toBe(1);
  });

  it('a deleted document is deleted here too', async () => {
    const server = fakeServer(catalogue(2));
    const resync$ = new Subject<unknown>();
    const loop = start(server, { resync$ });
    await loop.awaitInSync();
    const fetchPage = server.fetchPage;
    server.fetchPage = (seq, limit) =>
      seq === 2
        ? Promise.resolve({
            documents: [{ ...testProduct('p1', 101), _deleted: true }],
            checkpoint: { seq: 3 },
          })
        : fetchPage(seq, limit);
    resync$.next('RESYNC');
    await loop.awaitInSync();
    expect(await storedIds()).toEqual(['p0']);
  });

  it('cancel stops it: no more pulls, canceled$ says so, and a late answer is not written', async () => {
    const server = fakeServer(catalogue(2));
    let answer: (page: PullResponse<Product>) => void = () => undefined;
    server.fetchPage = (seq, limit) => {
      server.pulls.push({ seq, limit });
      return new Promise((resolve) => (answer = resolve));
    };
    const resync$ = new Subject<unknown>();
    const loop = start(server, { resync$ });
    const canceled: boolean[] = [];
    loop.canceled$.subscribe((value) => canceled.push(value));
    await waitUntil(() => server.pulls.length === 1);
    await loop.cancel();
    answer({
      documents: catalogue(2).map((product) => ({ ...product, _deleted: false })),
      checkpoint: { seq: 2 },
    });
    resync$.next('RESYNC');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(canceled).toEqual([false, true]);
    expect(server.pulls).toHaveLength(1);
    expect(await storedIds()).toEqual([]);
    expect(await storedSeq()).toBeNull();
  });

  it('tells its progress after each stored page of a long catch-up, and null when it ends', async () => {
    const server = fakeServer(catalogue(7));
    const resync$ = new Subject<unknown>();
    const seen: (PullProgress | null)[] = [];
    const loop = start(server, {
      resync$,
      onProgress: (progress) => seen.push(progress),
    });
    await loop.awaitInSync();
    expect(seen).toEqual([{ pulled: 3, remaining: 4 }, { pulled: 6, remaining: 1 }, null]);
    // A change afterwards is one short page: no progress to show, only the end again.
    server.products.push(testProduct('p7', 107));
    resync$.next('RESYNC');
    await loop.awaitInSync();
    expect(seen.slice(3)).toEqual([null]);
  });

  it('counts without a total from a server that sends none, and keeps counting through a failure', async () => {
    const server = fakeServer(catalogue(7));
    server.countsRemaining = false;
    failRequest(server, 3);
    const seen: (PullProgress | null)[] = [];
    const loop = start(server, { retryMs: 10, onProgress: (progress) => seen.push(progress) });
    await loop.awaitInSync();
    // The third page failed: the progress stayed at 6 while the loop waited, and the retry's
    // short page ended the catch-up.
    expect(seen).toEqual([{ pulled: 3, remaining: null }, { pulled: 6, remaining: null }, null]);
    expect((await storedIds()).length).toBe(7);
  });

  it('a failure mid-way resumes after the last stored page and keeps the total', async () => {
    const server = fakeServer(catalogue(10));
    failRequest(server, 2);
    const seen: (PullProgress | null)[] = [];
    const loop = start(server, { retryMs: 10, onProgress: (progress) => seen.push(progress) });
    await loop.awaitInSync();
    expect(seen).toEqual([
      { pulled: 3, remaining: 7 },
      { pulled: 6, remaining: 4 },
      { pulled: 9, remaining: 1 },
      null,
    ]);
    // The retry resumed after the stored page (seq 3), not from the catch-up's start again.
    expect(server.pulls.map((pull) => pull.seq)).toEqual([0, 3, 6, 9]);
    expect(await storedSeq()).toBe(10);
  });

  it('ends its progress when canceled mid-way', async () => {
    const server = fakeServer(catalogue(7));
    const fetchPage = server.fetchPage;
    let hold: () => void = () => undefined;
    server.fetchPage = (seq, limit) =>
      seq === 3
        ? new Promise((resolve) => (hold = () => resolve(fetchPage(seq, limit))))
        : fetchPage(seq, limit);
    const seen: (PullProgress | null)[] = [];
    const loop = start(server, { onProgress: (progress) => seen.push(progress) });
    await waitUntil(() => seen.length === 1);
    await loop.cancel();
    hold();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toEqual([{ pulled: 3, remaining: 4 }, null]);
  });

  it('waits for startAfter before its first pull', async () => {
    const server = fakeServer(catalogue(2));
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const loop = start(server, { startAfter: gate });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.pulls).toEqual([]);
    open();
    await loop.awaitInSync();
    expect((await storedIds()).length).toBe(2);
  });

  it('firstPullSettled: resolves once a loop caught up, failed once, or was canceled', async () => {
    const settledAfter = (loop: Replication) => {
      let settled = false;
      void firstPullSettled(loop).then(() => (settled = true));
      return () => settled;
    };
    const caughtUp = start(fakeServer(catalogue(2)), { identifier: 'a' });
    const caughtUpSettled = settledAfter(caughtUp);
    await caughtUp.awaitInSync();
    await waitUntil(caughtUpSettled);

    const failing = fakeServer(catalogue(2));
    failing.failNext = 1_000;
    const failed = start(failing, { identifier: 'b', retryMs: 60_000 });
    await waitUntil(settledAfter(failed));
    expect(failing.pulls).toHaveLength(1);

    const never = new Promise<void>(() => undefined);
    const waiting = start(fakeServer(catalogue(2)), { identifier: 'c', startAfter: never });
    const waitingSettled = settledAfter(waiting);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(waitingSettled()).toBe(false);
    await waiting.cancel();
    await waitUntil(waitingSettled);
  });

  it('a checkpoint id stays within RxDB’s 128 characters and tells long identifiers apart', () => {
    expect(checkpointDocId('entitle-products-schema2-x')).toBe('entitle-products-schema2-x');
    const long = `entitle-products-schema2-https://${'a'.repeat(120)}`;
    expect(checkpointDocId(`${long}|one`)).toHaveLength(128);
    expect(checkpointDocId(`${long}|one`)).not.toBe(checkpointDocId(`${long}|two`));
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('It never got there.');
}
