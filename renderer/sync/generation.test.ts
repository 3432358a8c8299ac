import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENERATION_HEADER } from '../../shared/schemas/protocol.ts';
import { completeCashSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { pendingCount$ } from '../history/queries.ts';
import { createCartCommands } from '../sell/cart.ts';
import type { FetchLike } from './api-client.ts';
import {
  GENERATION_DOC,
  startSync,
  type GenerationHint,
  type SyncController,
} from './replication.ts';

/**
 * A fake sync server in memory: it accepts every push (as the real one answers "already have
 * it"), counts each id it receives, pulls one product at seq 5, and announces `generation` on
 * every response, as the real server does after `restore` renews it.
 */
function fakeServer(generation: number) {
  const server = {
    generation,
    received: new Map<string, number>(),
    pullSeqs: [] as string[],
    fetch: null as unknown as FetchLike,
  };
  const respond = (input: Parameters<FetchLike>[0], init: RequestInit | undefined): Response => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input : input.url,
    );
    const headers = {
      'content-type': 'application/json',
      [GENERATION_HEADER]: String(server.generation),
    };
    const answer = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers });
    if (url.pathname.endsWith('/stream')) return answer(503, { error: 'down', message: 'Later.' });
    if (url.pathname.endsWith('/push')) {
      const body = JSON.parse(init?.body as string) as {
        rows: { newDocumentState: { id: string } }[];
      };
      const ids = body.rows.map((row) => row.newDocumentState.id);
      for (const id of ids) server.received.set(id, (server.received.get(id) ?? 0) + 1);
      return answer(200, { accepted: ids, rejected: [] });
    }
    const seq = url.searchParams.get('seq') ?? '0';
    if (url.pathname.endsWith('/products/pull')) {
      server.pullSeqs.push(seq);
      const documents = seq === '0' ? [{ ...testProduct('spa', 4000), _deleted: false }] : [];
      return answer(200, { documents, checkpoint: { seq: 5 } });
    }
    return answer(200, { documents: [], checkpoint: { seq: Number(seq) } });
  };
  server.fetch = (input, init) => Promise.resolve(respond(input, init));
  return server;
}

let db: EntitleDatabase;
let sync: SyncController | null = null;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('spa', 4000)]);
});
afterEach(async () => {
  await sync?.stop();
  sync = null;
  await db.close();
});

async function sell(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    await createCartCommands(db).add('spa');
    ids.push((await completeCashSale(db, testCredentials, { tendered: 4000 })).id);
  }
  return ids;
}

async function storedHint(): Promise<GenerationHint | null> {
  const doc = await db.getLocal<GenerationHint>(GENERATION_DOC);
  return doc ? doc.toJSON().data : null;
}

const countsOf = (server: ReturnType<typeof fakeServer>, ids: readonly string[]) =>
  ids.map((id) => server.received.get(id) ?? 0);

describe('a till after the server was restored to an older backup', () => {
  it('pushes every fact again exactly once per new generation, pulls from 0, and never loops', async () => {
    const server = fakeServer(111);
    const before = await sell(3);
    sync = startSync(db, testCredentials, { fetch: server.fetch, retryMs: 50 });
    await sync.awaitInSync();
    // The first generation ever seen is only stored: each sale arrived once.
    expect(countsOf(server, before)).toEqual([1, 1, 1]);
    expect(await storedHint()).toEqual({ generation: 111, keyedOn: null });
    expect(await firstValueFrom(pendingCount$(db, testCredentials.terminalId))).toBe(0);

    // Everything the server received: sales only (no staff signed in, so no audit events).
    expect([...server.received.keys()].sort()).toEqual([...before].sort());

    // The server is restored: its next answer carries a new generation.
    server.generation = 222;
    const pullsBefore = server.pullSeqs.length;
    sync.syncNow();
    await waitUntil(() => countsOf(server, before).every((count) => count === 2));
    await sync.awaitInSync();
    expect(countsOf(server, before)).toEqual([2, 2, 2]);
    expect(server.pullSeqs.slice(pullsBefore)).toContain('0');
    expect(await storedHint()).toEqual({ generation: 222, keyedOn: 222 });
    expect(await firstValueFrom(pendingCount$(db, testCredentials.terminalId))).toBe(0);

    // Further answers with the same generation push nothing again; new sales go once.
    const after = await sell(1);
    sync.syncNow();
    await waitUntil(() => countsOf(server, after)[0] === 1);
    sync.syncNow();
    await sync.awaitInSync();
    expect(countsOf(server, before)).toEqual([2, 2, 2]);
    expect(countsOf(server, after)).toEqual([1]);

    // A reload keeps the generation it knew: still nothing pushed again.
    await sync.stop();
    sync = startSync(db, testCredentials, { fetch: server.fetch, retryMs: 50 });
    await sync.awaitInSync();
    sync.syncNow();
    await sync.awaitInSync();
    expect(countsOf(server, [...before, ...after])).toEqual([2, 2, 2, 1]);
  });

  it('until the server confirms them again, the re-pushed sales count as waiting to sync', async () => {
    const server = fakeServer(7);
    await sell(2);
    sync = startSync(db, testCredentials, { fetch: server.fetch, retryMs: 50 });
    await sync.awaitInSync();
    await sync.stop();
    sync = null;
    // A restore while the till was off; its first answer afterwards refuses the push.
    server.generation = 8;
    const refusing: FetchLike = async (input, init) => {
      const response = await server.fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.includes('/push')
        ? new Response(JSON.stringify({ error: 'unavailable', message: 'Try again.' }), {
            status: 503,
            headers: response.headers,
          })
        : response;
    };
    sync = startSync(db, testCredentials, { fetch: refusing, retryMs: 60_000 });
    await waitUntil(async () => (await storedHint())?.generation === 8);
    await waitUntil(
      async () => (await firstValueFrom(pendingCount$(db, testCredentials.terminalId))) === 2,
    );
    expect(await firstValueFrom(pendingCount$(db, testCredentials.terminalId))).toBe(2);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('The till never got there.');
}
