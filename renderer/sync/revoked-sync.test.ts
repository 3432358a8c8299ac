import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import type { FetchLike } from './api-client.ts';
import { startSync, type SyncController } from './replication.ts';

let db: EntitleDatabase | undefined;
let sync: SyncController | undefined;
afterEach(async () => {
  await sync?.stop();
  await db?.close();
  sync = undefined;
  db = undefined;
});

const urlOf = (input: Parameters<FetchLike>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A live stream that sends `events` and then stays open until the client aborts it. */
function stream(events: string, signal: AbortSignal | null | undefined): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(events));
      signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function revokedOnce(controller: SyncController) {
  return firstValueFrom(
    controller.status.status$.pipe(
      filter((status) => status.revoked),
      timeout(5_000),
    ),
  );
}

describe('a revoked terminal, as the sync sees it', () => {
  it('a 401 terminal_revoked on any request marks the terminal revoked', async () => {
    db = await openTestDatabase();
    const fetch: FetchLike = () =>
      Promise.resolve(
        json(401, {
          error: 'terminal_revoked',
          message: 'This terminal was revoked by a manager. Ask a manager to enrol it again.',
        }),
      );
    sync = startSync(db, testCredentials, { fetch, retryMs: 60_000 });
    const status = await revokedOnce(sync);
    expect(status.blocked).toContain('revoked');
  });

  it('the live stream’s revoked event marks it at once; other refusals never do', async () => {
    db = await openTestDatabase();
    const fetch: FetchLike = (input, init) =>
      Promise.resolve(
        urlOf(input).includes('/sync/stream')
          ? stream('event: revoked\ndata: {"message":"Revoked."}\n\n', init?.signal)
          : json(503, { error: 'unavailable', message: 'Try again.' }),
      );
    sync = startSync(db, testCredentials, { fetch, retryMs: 60_000 });
    expect((await revokedOnce(sync)).revoked).toBe(true);
  });

  it('a server that is down, or refuses for another reason, leaves the till usable', async () => {
    db = await openTestDatabase();
    const fetch: FetchLike = (input) =>
      Promise.resolve(
        urlOf(input).includes('/sync/stream')
          ? json(401, { error: 'unauthorized', message: 'Bad token.' })
          : json(503, { error: 'unavailable', message: 'Try again.' }),
      );
    sync = startSync(db, testCredentials, { fetch, retryMs: 60_000 });
    const controller = sync;
    await firstValueFrom(
      controller.status.status$.pipe(
        filter((status) => status.blocked !== null),
        timeout(5_000),
      ),
    );
    expect(controller.status.current.revoked).toBe(false);
  });
});
