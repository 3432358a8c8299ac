import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { precompiled } from '../db/precompiled.ts';
import { isRetryableConflict } from '../db/transaction.ts';
import type { Clock } from '../deps.ts';

const SWEEP_EVERY_MS = 60_000;

type Count = { current: number; ttl: number };

/**
 * Where request counters live. `database`: rows of `rate_limits`, shared by every server
 * instance on one PostgreSQL, at a statement (and a commit) per counted request. `memory`: this
 * process only, at no I/O; right for one instance (SQLite has only one), wrong for several
 * (each would allow the limit on its own), and a restart starts every count again.
 */
export type LimitStore = 'memory' | 'database';

/** Counts `key` in its window and returns the count and the ms left of it (countRequest's rule). */
export type RequestCounter = (key: string, windowMs: number, now: number) => Promise<Count>;

/** Most counters a memory counter keeps; past it the one whose window started first goes. */
export const MEMORY_COUNTERS = 100_000;

/** The route a child store counts for, from what @fastify/rate-limit passes to `child()`. */
function routeOf(options: unknown): string {
  const info = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
  const method = Array.isArray(info?.method) ? info.method.join(',') : (info?.method ?? '');
  return `${method} ${info?.url ?? ''}`.trim();
}

/**
 * Counts one request for `key` and returns the count in its window and the ms left of it. One
 * statement, atomic on both engines (the upsert takes the row's lock on PostgreSQL), so requests
 * to several instances at once are all counted: a window starts at its first request and the
 * count starts again once it is over, as in the plugin's in-memory store.
 */
export async function countRequest(
  db: Db,
  key: string,
  windowMs: number,
  now: number,
): Promise<Count> {
  const resetsAt = now + windowMs;
  const [row] = await countRow(db, key, now, resetsAt);
  if (row === undefined) throw new Error('The rate_limits upsert returned no row');
  return { current: row.hits, ttl: Math.max(0, row.resets_at - now) };
}

/** countRequest's upsert: a window that ended by `now` starts again, ending at `resetsAt`. */
const countQuery = (db: DbOrTrx, key: string, now: number, resetsAt: number) =>
  db
    .insertInto('rate_limits')
    .values({ key, hits: 1, resets_at: resetsAt })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((eb) => ({
        hits: eb
          .case()
          .when('rate_limits.resets_at', '<=', now)
          .then(1)
          .else(eb('rate_limits.hits', '+', 1))
          .end(),
        resets_at: eb
          .case()
          .when('rate_limits.resets_at', '<=', now)
          // A parameter: `then` writes a plain number into the SQL text (a new statement for
          // every request).
          .then(eb.val(resetsAt))
          .else(eb.ref('rate_limits.resets_at'))
          .end(),
      })),
    )
    .returning(['hits', 'resets_at']);

/** countQuery compiled once: every counted request on the database store runs it. */
const countRow = precompiled(countQuery, ['\u0000key', -1.25, -2.25] as [string, number, number]);

/** Most keys one batched count writes (three parameters a key: well within either engine's limit). */
export const KEYS_PER_COUNT = 500;

/** A key and how many requests to count for it at once. */
export type CountOfKey = { readonly key: string; readonly hits: number; readonly windowMs: number };

/**
 * Counts `hits` requests for each key at once, as that many countRequest calls in a row would:
 * one statement (a multi-row upsert, atomic on both engines) returning each key's count and when
 * its window ends. Keys must be distinct; they are written in sorted order, so two instances
 * counting overlapping keys at once take the rows' locks in the same order and never deadlock.
 */
export async function countRequests(
  db: Db,
  counts: readonly CountOfKey[],
  now: number,
): Promise<Map<string, { hits: number; resetsAt: number }>> {
  const rows = [...counts]
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((count) => ({ key: count.key, hits: count.hits, resets_at: now + count.windowMs }));
  const counted = await db
    .insertInto('rate_limits')
    .values(rows)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((eb) => ({
        hits: eb
          .case()
          .when('rate_limits.resets_at', '<=', eb.val(now))
          .then(eb.ref('excluded.hits'))
          .else(eb('rate_limits.hits', '+', eb.ref('excluded.hits')))
          .end(),
        resets_at: eb
          .case()
          .when('rate_limits.resets_at', '<=', eb.val(now))
          .then(eb.ref('excluded.resets_at'))
          .else(eb.ref('rate_limits.resets_at'))
          .end(),
      })),
    )
    .returning(['key', 'hits', 'resets_at'])
    .execute();
  return new Map(counted.map((row) => [row.key, { hits: row.hits, resetsAt: row.resets_at }]));
}

type WaitingCount = {
  readonly key: string;
  readonly windowMs: number;
  readonly now: number;
  readonly resolve: (count: Count) => void;
  readonly reject: (error: unknown) => void;
};

const MAX_COUNT_ATTEMPTS = 3;

/**
 * countRequest's rule for every request, in the database, one statement at a time per process:
 * the requests that come while a count is being written are counted together by the next
 * (countRequests), each answered with the count it would have had counted alone, one after
 * another (a key with n requests in a batch moves by n, and they get its last n counts). Nothing
 * is kept in memory past its statement: every request is counted in the shared table before it
 * is answered, so several instances still allow the limit in all, not each. Under load this
 * replaces a statement per request, all updating one row per client address (each waiting for
 * the previous one's commit), with a statement per batch.
 */
function batchedCounter(db: Db): RequestCounter {
  let waiting: WaitingCount[] = [];
  let writing = false;

  const write = async (batch: readonly WaitingCount[]): Promise<void> => {
    const byKey = new Map<string, WaitingCount[]>();
    let now = 0;
    for (const item of batch) {
      now = Math.max(now, item.now);
      const same = byKey.get(item.key);
      if (same === undefined) byKey.set(item.key, [item]);
      else same.push(item);
    }
    const counts = [...byKey].map(([key, items]) => ({
      key,
      hits: items.length,
      windowMs: items[0]?.windowMs ?? 0,
    }));
    for (let attempt = 1; ; attempt += 1) {
      try {
        const counted = await countRequests(db, counts, now);
        for (const [key, items] of byKey) {
          const row = counted.get(key);
          if (row === undefined) throw new Error('The rate_limits upsert returned no row');
          const ttl = Math.max(0, row.resetsAt - now);
          items.forEach((item, index) => {
            item.resolve({ current: row.hits - items.length + 1 + index, ttl });
          });
        }
        return;
      } catch (error) {
        // A deadlock with another writer of these rows (the sweep's delete): nothing was counted.
        if (attempt < MAX_COUNT_ATTEMPTS && isRetryableConflict(error)) continue;
        for (const item of batch) item.reject(error);
        return;
      }
    }
  };

  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      // Whole keys per statement: all of a key's requests are counted by one statement.
      const keys = new Set<string>();
      const batch: WaitingCount[] = [];
      const rest: WaitingCount[] = [];
      for (const item of waiting) {
        if (keys.has(item.key) || keys.size < KEYS_PER_COUNT) {
          keys.add(item.key);
          batch.push(item);
        } else {
          rest.push(item);
        }
      }
      waiting = rest;
      await write(batch);
    }
    writing = false;
  };

  return (key, windowMs, now) =>
    new Promise<Count>((resolve, reject) => {
      waiting.push({ key, windowMs, now, resolve, reject });
      if (writing) return;
      writing = true;
      void drain();
    });
}

/** One batched counter per database, shared by the per-address and per-code limits. */
const counters = new WeakMap<Db, RequestCounter>();

function sharedCounter(db: Db): RequestCounter {
  let counter = counters.get(db);
  if (counter === undefined) {
    counter = batchedCounter(db);
    counters.set(db, counter);
  }
  return counter;
}

/**
 * Deletes counters whose window is over, at most once a minute, by whichever request comes
 * next. Best effort: a counter left behind is harmless, it only takes a row until the next sweep.
 */
export function expiredCounterSweeper(db: Db): (now: number) => void {
  let lastSweep = 0;
  return (now) => {
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    db.deleteFrom('rate_limits')
      .where('resets_at', '<=', now)
      .execute()
      .catch(() => undefined);
  };
}

/**
 * A store for @fastify/rate-limit over the `rate_limits` table (migration 0011), so a limit
 * holds across server instances on one PostgreSQL instead of each instance allowing its own.
 * Each route counts apart, as with the in-memory store. Errors go to the plugin, which refuses
 * the request (the database is what every such route needs anyway).
 */
export function databaseRateLimitStore(db: Db, clock: Clock): FastifyRateLimitStoreCtor {
  const sweep = expiredCounterSweeper(db);
  const count = sharedCounter(db);
  // The plugin constructs the store with its options, then asks it for one child per route.
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #route: string;
    constructor(_options: unknown, route = '') {
      this.#route = route;
    }
    incr(key: string, callback: (error: Error | null, result?: Count) => void, windowMs: number) {
      const now = clock().getTime();
      sweep(now);
      count(`${this.#route} ${key}`, windowMs, now).then(
        (count) => {
          callback(null, count);
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
    child(options: unknown): FastifyRateLimitStore {
      return new DatabaseRateLimitStore(undefined, routeOf(options));
    }
  };
}

/**
 * countRequest's rule in this process's memory. Expired counters are dropped at most once a
 * minute; past `capacity` counters the oldest window is dropped first (it is the nearest to its
 * end), so a flood of distinct keys costs bounded memory.
 */
export function memoryCounter(capacity = MEMORY_COUNTERS): RequestCounter {
  // In the order their windows started: a window that starts again is moved to the end.
  const counters = new Map<string, { hits: number; resetsAt: number }>();
  let lastSweep = 0;
  return (key, windowMs, now) => {
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now;
      for (const [name, counter] of counters) {
        if (counter.resetsAt <= now) counters.delete(name);
      }
    }
    let counter = counters.get(key);
    if (counter === undefined || counter.resetsAt <= now) {
      counters.delete(key);
      counter = { hits: 0, resetsAt: now + windowMs };
      counters.set(key, counter);
      if (counters.size > capacity) {
        const oldest = counters.keys().next().value;
        if (oldest !== undefined) counters.delete(oldest);
      }
    }
    counter.hits += 1;
    return Promise.resolve({ current: counter.hits, ttl: Math.max(0, counter.resetsAt - now) });
  };
}

/** The database's counter (countRequest), with its sweep of expired rows. */
export function databaseCounter(db: Db): RequestCounter {
  const sweep = expiredCounterSweeper(db);
  const count = sharedCounter(db);
  return (key, windowMs, now) => {
    sweep(now);
    return count(key, windowMs, now);
  };
}

/** The counter a LimitStore names. */
export function requestCounter(store: LimitStore, db: Db): RequestCounter {
  return store === 'memory' ? memoryCounter() : databaseCounter(db);
}
