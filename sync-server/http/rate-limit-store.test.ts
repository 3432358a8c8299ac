import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, openPostgres } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Db } from '../db/schema.ts';
import { testClock, type TestClock } from '../test-support/harness.ts';
import { sql, type KyselyPlugin } from 'kysely';
import { freshDatabase, testEngine } from '../test-support/test-database.ts';
import {
  countRequest,
  countRequests,
  databaseCounter,
  databaseRateLimitStore,
  memoryCounter,
} from './rate-limit-store.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two connections to one database, as two server instances hold: two pools, or two handles. */
async function twoConnections(): Promise<[Db, Db]> {
  const fresh = await freshDatabase();
  let dbs: [Db, Db];
  if (fresh.url === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'entitle-limits-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    });
    const file = join(dir, 'entitle.sqlite');
    const first = openDatabase(file);
    await migrateToLatest(first);
    dbs = [first, openDatabase(file)];
  } else {
    cleanups.push(() => fresh.drop());
    dbs = [openPostgres(fresh.url, { max: 4 }), openPostgres(fresh.url, { max: 4 })];
  }
  cleanups.push(async () => {
    await Promise.all(dbs.map((db) => db.destroy()));
  });
  return dbs;
}

/** A server with two limited routes, counting in `db`. */
async function limitedApp(db: Db, clock: TestClock): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db, clock.now) });
  const limit = { rateLimit: { max: 3, timeWindow: 60_000 } };
  app.get('/a', { config: limit }, () => ({ ok: true }));
  app.get('/b', { config: limit }, () => ({ ok: true }));
  cleanups.push(() => app.close());
  return app;
}

describe('countRequest', () => {
  it('counts within the window, starts again after it, and keeps keys apart', async () => {
    const [db] = await twoConnections();
    expect(await countRequest(db, 'k', 60_000, 1_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(await countRequest(db, 'k', 60_000, 31_000)).toEqual({ current: 2, ttl: 30_000 });
    expect(await countRequest(db, 'other', 60_000, 31_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(await countRequest(db, 'k', 60_000, 61_000)).toEqual({ current: 1, ttl: 60_000 });
  });

  it('loses no count when two instances count the same key at once', async () => {
    const dbs = await twoConnections();
    const counts = await Promise.all(
      Array.from({ length: 60 }, (_, i) => countRequest(dbs[i % 2] ?? dbs[0], 'ip', 60_000, 5)),
    );
    expect(counts.map((count) => count.current).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  });
});

/** `db` counting the statements it runs. */
function countingStatements(db: Db): { db: Db; statements: () => number } {
  let statements = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      statements += 1;
      return args.node;
    },
    transformResult(args) {
      return Promise.resolve(args.result);
    },
  };
  return { db: db.withPlugin(plugin), statements: () => statements };
}

describe('countRequests', () => {
  it('moves each key by its number of requests, starting a window that is over again', async () => {
    const [db] = await twoConnections();
    const first = await countRequests(
      db,
      [
        { key: 'b', hits: 1, windowMs: 60_000 },
        { key: 'a', hits: 3, windowMs: 60_000 },
      ],
      1_000,
    );
    expect(Object.fromEntries(first)).toEqual({
      a: { hits: 3, resetsAt: 61_000 },
      b: { hits: 1, resetsAt: 61_000 },
    });
    const second = await countRequests(db, [{ key: 'a', hits: 2, windowMs: 60_000 }], 31_000);
    expect(second.get('a')).toEqual({ hits: 5, resetsAt: 61_000 });
    const third = await countRequests(db, [{ key: 'a', hits: 4, windowMs: 60_000 }], 61_000);
    expect(third.get('a')).toEqual({ hits: 4, resetsAt: 121_000 });
  });
});

describe('databaseCounter', () => {
  it('counts requests that come together in fewer statements, each with its own count', async () => {
    const [plain] = await twoConnections();
    const { db, statements } = countingStatements(plain);
    const count = databaseCounter(db);
    const counts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => count(i % 4 === 0 ? 'other' : 'ip', 60_000, 5)),
    );
    const of = (key: string) =>
      counts
        .filter((_, i) => (i % 4 === 0 ? 'other' : 'ip') === key)
        .map((counted) => counted.current)
        .sort((x, y) => x - y);
    expect(of('ip')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(of('other')).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(counts.every((counted) => counted.ttl === 60_000)).toBe(true);
    // The first is written at once, the rest together while it is (plus the first sweep).
    expect(statements()).toBeLessThanOrEqual(3);
  });

  it('loses no count when two instances count the same key at once', async () => {
    const dbs = await twoConnections();
    const [first, second] = [databaseCounter(dbs[0]), databaseCounter(dbs[1])];
    const counts = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? first : second)('ip', 60_000, 5)),
    );
    expect(counts.map((count) => count.current).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  });
});

describe('rate_limits', () => {
  it(`is an UNLOGGED table on PostgreSQL, an ordinary one on SQLite (engine: ${testEngine()})`, async () => {
    const [db] = await twoConnections();
    if (testEngine() === 'postgres') {
      const { rows } = await sql<{
        relpersistence: string;
      }>`select relpersistence from pg_class where relname = 'rate_limits'`.execute(db);
      expect(rows).toEqual([{ relpersistence: 'u' }]);
    } else {
      const { rows } = await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name = 'rate_limits'`.execute(db);
      expect(rows).toEqual([{ name: 'rate_limits' }]);
    }
    expect(await countRequest(db, 'k', 60_000, 1_000)).toEqual({ current: 1, ttl: 60_000 });
  });
});

describe('database rate-limit store', () => {
  it('holds a limit across two instances, per route, until the window is over', async () => {
    const clock = testClock();
    const [dbA, dbB] = await twoConnections();
    const a = await limitedApp(dbA, clock);
    const b = await limitedApp(dbB, clock);
    const statuses = [];
    for (const app of [a, b, a, b]) {
      statuses.push((await app.inject({ method: 'GET', url: '/a' })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await a.inject({ method: 'GET', url: '/a' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    // Another route counts apart.
    expect((await b.inject({ method: 'GET', url: '/b' })).statusCode).toBe(200);

    clock.advance(60_000);
    expect((await b.inject({ method: 'GET', url: '/a' })).statusCode).toBe(200);
  });

  it('deletes counters whose window is over, at most once a minute', async () => {
    const clock = testClock();
    const [db] = await twoConnections();
    const app = await limitedApp(db, clock);
    await app.inject({ method: 'GET', url: '/a' });
    clock.advance(120_000);
    await app.inject({ method: 'GET', url: '/b' });
    await expect
      .poll(async () => (await db.selectFrom('rate_limits').select('key').execute()).length)
      .toBe(1);
    const [row] = await db.selectFrom('rate_limits').select('key').execute();
    expect(row?.key).toBe('GET /b 127.0.0.1');
  });
});

describe('memoryCounter', () => {
  it('counts as countRequest does: within the window, again after it, keys apart', async () => {
    const count = memoryCounter();
    expect(await count('k', 60_000, 1_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(await count('k', 60_000, 31_000)).toEqual({ current: 2, ttl: 30_000 });
    expect(await count('other', 60_000, 31_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(await count('k', 60_000, 61_000)).toEqual({ current: 1, ttl: 60_000 });
  });

  it('keeps at most its capacity, dropping the window that started first', async () => {
    const count = memoryCounter(2);
    await count('a', 60_000, 0);
    await count('b', 60_000, 1);
    await count('a', 60_000, 2);
    // A third key: 'a' (the oldest window) goes, 'b' keeps its count.
    await count('c', 60_000, 3);
    expect(await count('b', 60_000, 4)).toMatchObject({ current: 2 });
    expect(await count('a', 60_000, 5)).toMatchObject({ current: 1 });
  });
});
