import { Subject, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../../shared/schemas/product.ts';
import type { PushResponse } from '../../shared/schemas/protocol.ts';
import { testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { checkpointDocId, type Replication } from './pull-loop.ts';
import { acksOf, startPushLoop, type PushCheckpoint } from './push-loop.ts';

/**
 * A server that answers each push after a few milliseconds: accepts every row but those in
 * `refuse`, fails the calls numbered in `failCalls` (1-based), and counts what is in flight.
 */
function fakeServer() {
  const server = {
    batches: [] as string[][],
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    failCalls: new Set<number>(),
    refuse: new Set<string>(),
    send: async (rows: readonly { id: string }[]): Promise<PushResponse> => {
      server.calls += 1;
      const call = server.calls;
      const ids = rows.map((row) => row.id);
      server.batches.push(ids);
      server.inFlight += 1;
      server.maxInFlight = Math.max(server.maxInFlight, server.inFlight);
      // Later calls answer sooner: answers arrive out of order.
      await new Promise((resolve) => setTimeout(resolve, 20 - (call % 3) * 5));
      server.inFlight -= 1;
      if (server.failCalls.has(call)) throw new Error('The sync server cannot be reached.');
      return {
        accepted: ids.filter((id) => !server.refuse.has(id)),
        rejected: ids
          .filter((id) => server.refuse.has(id))
          .map((id) => ({ id, reason: 'Broken.' })),
      };
    },
  };
  return server;
}

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

const IDENTIFIER = 'push-test';

/** `count` products (the loop is the same for any collection), in storage order. */
async function write(count: number, from = 0): Promise<string[]> {
  const products = Array.from({ length: count }, (_, i) =>
    testProduct(`p${String(from + i).padStart(5, '0')}`, 100 + i),
  );
  for (let i = 0; i < products.length; i += 50)
    await db.products.bulkInsert(products.slice(i, i + 50));
  return products.map((product) => product.id);
}

function start(
  server: ReturnType<typeof fakeServer>,
  options: { retryMs?: number; resync$?: Subject<unknown> } = {},
): Replication {
  const loop = startPushLoop<Product>({
    collection: db.products,
    checkpoints: db,
    identifier: IDENTIFIER,
    send: (rows) => server.send(rows),
    acknowledge: async (response) => {
      await db.sync_acks.bulkUpsert(acksOf(response, '2026-11-28T00:00:00.000Z'));
    },
    accepted: async (ids) => {
      const acks = await db.sync_acks.storageInstance.findDocumentsById([...ids], false);
      return new Set(acks.filter((ack) => ack.outcome === 'accepted').map((ack) => ack.id));
    },
    batchSize: 100,
    inFlight: 3,
    retryMs: options.retryMs ?? 20,
    resync$: options.resync$ ?? new Subject(),
  });
  loops.push(loop);
  return loop;
}

const checkpoint = async () =>
  (await db.getLocal<PushCheckpoint>(checkpointDocId(IDENTIFIER)))?.toJSON().data ?? null;

async function acks() {
  const docs = await db.sync_acks.find().exec();
  return new Map(docs.map((doc) => [doc.id, doc.outcome]));
}

describe('the push loop', () => {
  it('pushes every fact once, in storage order, three batches at a time, and stores each answer', async () => {
    const ids = await write(1050);
    const server = fakeServer();
    server.refuse.add('p00420');
    await start(server).awaitInSync();

    expect(server.batches.flat()).toEqual(ids);
    expect(server.batches.map((batch) => batch.length)).toEqual([
      ...Array.from({ length: 10 }, () => 100),
      50,
    ]);
    expect(server.maxInFlight).toBe(3);
    const stored = await acks();
    expect(stored.size).toBe(1050);
    expect(stored.get('p00420')).toBe('rejected');
    expect(stored.get('p01049')).toBe('accepted');
    expect((await checkpoint())?.id).toBe('p01049');
  });

  it('never moves its checkpoint past a batch that failed; pushes it again and loses nothing', async () => {
    const ids = await write(500);
    const server = fakeServer();
    // The second batch fails while the third is answered.
    server.failCalls.add(2);
    const loop = start(server, { retryMs: 100 });
    const atFailure = firstValueFrom(loop.error$).then(() => checkpoint());
    await loop.awaitInSync();

    expect((await atFailure)?.id).toBe('p00099');
    expect(new Set(server.batches.flat())).toEqual(new Set(ids));
    // The failed batch and those sent after it went again, from right after the checkpoint;
    // what was answered before it did not.
    const startingWith = (id: string) => server.batches.filter((batch) => batch[0] === id).length;
    expect(startingWith('p00000')).toBe(1);
    expect(startingWith('p00100')).toBe(2);
    expect((await acks()).size).toBe(500);
    expect((await checkpoint())?.id).toBe('p00499');
  });

  it('without a checkpoint (RxDB pushed before), skips what the server accepted, pushes the rest', async () => {
    const ids = await write(250);
    const at = '2026-11-27T00:00:00.000Z';
    await db.sync_acks.bulkInsert([
      ...ids.slice(0, 200).map((id) => ({ id, outcome: 'accepted' as const, at })),
      { id: 'p00200', outcome: 'rejected', reason: 'Broken.', at },
    ]);
    const server = fakeServer();
    let loop = start(server);
    await loop.awaitInSync();
    expect(server.batches.flat()).toEqual(ids.slice(200));

    // With its checkpoint, a restart pushes only what was written since.
    await loop.cancel();
    const later = await write(3, 250);
    loop = start(server);
    await loop.awaitInSync();
    expect(server.batches.flat()).toEqual([...ids.slice(200), ...later]);
  });

  it('pushes a fact written while it runs without being asked, and again on each resync', async () => {
    const server = fakeServer();
    const resync$ = new Subject<unknown>();
    const loop = start(server, { resync$ });
    await loop.awaitInSync();
    expect(server.calls).toBe(0);
    const [id] = await write(1);
    await vi.waitFor(() => {
      expect(server.batches.flat()).toEqual([id]);
    });
    resync$.next('RESYNC');
    await loop.awaitInSync();
    expect(server.batches.flat()).toEqual([id]);
  });
});
