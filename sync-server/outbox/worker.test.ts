import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, openPostgres } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { freshDatabase, openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import {
  TEST_START,
  seededRandomBytes,
  silentLogger,
  testClock,
  type TestClock,
} from '../test-support/harness.ts';
import { enqueue } from './enqueue.ts';
import {
  LEASE_MS,
  MAX_ATTEMPTS,
  backoffMs,
  createOutboxWorker,
  type OutboxDelivery,
  type OutboxHandler,
} from './worker.ts';

let db: Db;
let clock: TestClock;
let delivered: OutboxDelivery[];
const record: OutboxHandler = (delivery) => {
  delivered.push(delivery);
  return Promise.resolve();
};
beforeEach(async () => {
  db = await openTestDatabase();
  clock = testClock();
  delivered = [];
});
afterEach(async () => {
  await db.destroy();
});

async function add(key: string, payload: unknown = { key }): Promise<void> {
  await enqueue(
    db,
    { kind: 'test', idempotencyKey: key, payload },
    { clock: clock.now, randomBytes: seededRandomBytes(key) },
  );
}

function worker(handler: OutboxHandler = record, batchSize = 20) {
  return createOutboxWorker({
    db,
    clock: clock.now,
    handlers: { test: handler },
    logger: silentLogger,
    batchSize,
  });
}

const row = (key: string) =>
  db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

describe('backoffMs', () => {
  it('doubles from 30 seconds and stops at one hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(8)).toBe(3_600_000);
    expect(backoffMs(30)).toBe(3_600_000);
  });
});

describe('outbox worker: runOnce', () => {
  it('delivers due rows once with their key and payload, marks them sent, skips rows not yet due', async () => {
    await add('a:1', { n: 1 });
    clock.advance(1_000);
    await add('a:2', { n: 2 });
    clock.set(TEST_START);
    const w = worker();
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(delivered.map((d) => [d.idempotencyKey, d.payload, d.attempt])).toEqual([
      ['a:1', { n: 1 }, 1],
    ]);
    expect(await row('a:1')).toMatchObject({ state: 'sent', attempts: 1, sent_at: TEST_START });
    expect(await row('a:2')).toMatchObject({ state: 'pending', attempts: 0 });
    clock.advance(1_000);
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(delivered.map((d) => d.idempotencyKey)).toEqual(['a:1', 'a:2']);
  });

  it('after a failing handler keeps the row, records the error and waits the backoff', async () => {
    await add('b:1');
    let fail = true;
    const w = worker((delivery) =>
      fail ? Promise.reject(new Error('mail server said 451')) : record(delivery),
    );
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const waiting = await row('b:1');
    expect(waiting).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'mail server said 451',
    });
    expect(Date.parse(waiting.next_attempt_at) - Date.parse(TEST_START)).toBe(30_000);

    clock.advance(29_999);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(1);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(Date.parse((await row('b:1')).next_attempt_at) - clock.now().getTime()).toBe(60_000);

    fail = false;
    clock.advance(60_000);
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await row('b:1')).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect(delivered.map((d) => d.attempt)).toEqual([3]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and never tries a failed row again`, async () => {
    await add('c:1');
    let calls = 0;
    const w = worker(() => {
      calls += 1;
      return Promise.reject(new Error(`refused #${calls}`));
    });
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
      clock.advance(backoffMs(i));
    }
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await row('c:1')).toMatchObject({
      state: 'failed',
      attempts: MAX_ATTEMPTS,
      last_error: `refused #${MAX_ATTEMPTS}`,
      sent_at: null,
    });
    clock.advance(24 * 3_600_000);
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it('retries a row of a kind it has no handler for, saying so', async () => {
    await enqueue(
      db,
      { kind: 'from-a-newer-server', idempotencyKey: 'd:1', payload: null },
      { clock: clock.now, randomBytes: seededRandomBytes('d') },
    );
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await row('d:1')).last_error).toBe('No handler for outbox kind "from-a-newer-server".');
  });

  it('never delivers a row twice when two workers run at the same time', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `e:${i}`);
    for (const key of keys) await add(key);
    // Neither worker delivers until both have claimed a row, so they surely run at once (on a
    // loaded machine one could otherwise claim all 30 before the other starts); after that each
    // delivery yields, so their reads and claims interleave.
    const started = [barrier(), barrier()] as const;
    const slow =
      (mine: Barrier, other: Barrier): OutboxHandler =>
      async (delivery) => {
        mine.open();
        await other.opened;
        await new Promise((resolve) => setImmediate(resolve));
        await record(delivery);
      };
    const [first, second] = await Promise.all([
      worker(slow(started[0], started[1]), 50).runOnce(),
      worker(slow(started[1], started[0]), 50).runOnce(),
    ]);
    expect(first.sent + second.sent).toBe(30);
    expect(first.sent).toBeGreaterThan(0);
    expect(second.sent).toBeGreaterThan(0);
    expect(delivered.map((d) => d.idempotencyKey).sort()).toEqual([...keys].sort());
  });

  it('hides a claimed row for the lease, then delivers it again under the same key', async () => {
    await add('f:1');
    const stuck = createOutboxWorker({
      db,
      clock: clock.now,
      handlers: { test: () => new Promise<void>(() => undefined) },
      logger: silentLogger,
    });
    // A worker that claimed the row and never came back (a crash mid-send).
    void stuck.runOnce();
    await vi.waitFor(async () => {
      expect((await row('f:1')).attempts).toBe(1);
    });
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(LEASE_MS);
    expect(await worker().runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(delivered.map((d) => [d.idempotencyKey, d.attempt])).toEqual([['f:1', 2]]);
  });
});

describe('outbox worker: start and stop', () => {
  it('polls until stopped', async () => {
    const w = createOutboxWorker({
      db,
      clock: clock.now,
      handlers: { test: record },
      logger: silentLogger,
      pollMs: 5,
    });
    w.start();
    await add('g:1');
    await vi.waitFor(() => {
      expect(delivered.map((d) => d.idempotencyKey)).toEqual(['g:1']);
    });
    await add('g:2');
    await vi.waitFor(() => {
      expect(delivered).toHaveLength(2);
    });
    await w.stop();
    await w.stop();
    await add('g:3');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(delivered).toHaveLength(2);
    expect((await row('g:3')).state).toBe('pending');
  });
});

/**
 * Two connections to one database that share nothing in the process, as two server instances
 * have: two pools on PostgreSQL, two handles on one SQLite file.
 */
async function twoConnections(): Promise<{ dbs: [Db, Db]; close: () => Promise<void> }> {
  const fresh = await freshDatabase();
  if (fresh.url !== undefined) {
    const url = fresh.url;
    const dbs: [Db, Db] = [openPostgres(url, { max: 3 }), openPostgres(url, { max: 3 })];
    return {
      dbs,
      close: async () => {
        await Promise.all(dbs.map((each) => each.destroy()));
        await fresh.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'entitle-outbox-'));
  const file = join(dir, 'entitle.sqlite');
  const first = openDatabase(file);
  await migrateToLatest(first);
  const dbs: [Db, Db] = [first, openDatabase(file)];
  return {
    dbs,
    close: async () => {
      await Promise.all(dbs.map((each) => each.destroy()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('outbox worker: two instances on one database', () => {
  it('delivers each of 300 jobs exactly once while two workers on separate connections drain them', async () => {
    const { dbs, close } = await twoConnections();
    try {
      const keys = Array.from({ length: 300 }, (_, i) => `m:${String(i).padStart(3, '0')}`);
      for (const key of keys) {
        await enqueue(
          dbs[0],
          { kind: 'test', idempotencyKey: key, payload: { key } },
          { clock: clock.now, randomBytes: seededRandomBytes(key) },
        );
      }
      const calls = new Map<string, number>();
      const byWorker = [0, 0];
      const drain = async (which: 0 | 1): Promise<void> => {
        const w = createOutboxWorker({
          db: dbs[which],
          clock: clock.now,
          logger: silentLogger,
          batchSize: 25,
          handlers: {
            test: async (delivery) => {
              calls.set(delivery.idempotencyKey, (calls.get(delivery.idempotencyKey) ?? 0) + 1);
              byWorker[which] = (byWorker[which] ?? 0) + 1;
              // Yield, so the other worker claims while this one delivers.
              await new Promise((resolve) => setImmediate(resolve));
            },
          },
        });
        for (;;) {
          const { sent, retried, failed } = await w.runOnce();
          if (sent + retried + failed === 0) return;
        }
      };
      await Promise.all([drain(0), drain(1)]);

      expect([...calls.keys()].sort()).toEqual(keys);
      expect([...calls.values()].every((n) => n === 1)).toBe(true);
      expect(byWorker[0]).toBeGreaterThan(0);
      expect(byWorker[1]).toBeGreaterThan(0);
      const rows = await dbs[1]
        .selectFrom('outbox')
        .select(({ fn }) => ['state', 'attempts', fn.countAll<number>().as('n')])
        .groupBy(['state', 'attempts'])
        .execute();
      expect(rows).toEqual([{ state: 'sent', attempts: 1, n: 300 }]);
    } finally {
      await close();
    }
  });
});

type Barrier = { readonly opened: Promise<void>; open(): void };

/** A promise opened from outside, once. */
function barrier(): Barrier {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
