import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { precompiled } from '../db/precompiled.ts';
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
  // The plugin constructs the store with its options, then asks it for one child per route.
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #route: string;
    constructor(_options: unknown, route = '') {
      this.#route = route;
    }
    incr(key: string, callback: (error: Error | null, result?: Count) => void, windowMs: number) {
      const now = clock().getTime();
      sweep(now);
      countRequest(db, `${this.#route} ${key}`, windowMs, now).then(
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
  return (key, windowMs, now) => {
    sweep(now);
    return countRequest(db, key, windowMs, now);
  };
}

/** The counter a LimitStore names. */
export function requestCounter(store: LimitStore, db: Db): RequestCounter {
  return store === 'memory' ? memoryCounter() : databaseCounter(db);
}
