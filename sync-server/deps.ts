import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Db } from './db/schema.ts';
import type { PaymentGateway } from './payments/gateway.ts';
import type { ChangeNotifier } from './sync/change-notifier.ts';
import type { LimitStore } from './http/rate-limit-store.ts';

/**
 * The clock and the random source are passed in (STYLE.md 11) so tests can freeze time, expire
 * pairing codes and force collisions without touching globals.
 */
export type Clock = () => Date;
export type RandomBytes = (size: number) => Uint8Array;

export const systemClock: Clock = () => new Date();
/** Bytes taken from the operating system at once for small requests (ids, tokens, nonces). */
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let pooled = 0;

/**
 * The operating system's CSPRNG. Small requests are served from a pool filled 4 KiB at a time
 * (as node's randomUUID does): a call per id cost more than the rest of making a pushed code's
 * event row. Each caller gets its own copy, and the pool's bytes are wiped once handed out.
 */
export const systemRandomBytes: RandomBytes = (size) => {
  if (size > 256) return new Uint8Array(nodeRandomBytes(size));
  if (pooled + size > pool.length) {
    pool = new Uint8Array(nodeRandomBytes(POOL_SIZE));
    pooled = 0;
  }
  const bytes = pool.slice(pooled, pooled + size);
  pool.fill(0, pooled, pooled + size);
  pooled += size;
  return bytes;
};

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A server-generated document id: a readable kind plus 128 random bits, e.g. `term_3f9a…`. */
export function newId(kind: string, randomBytes: RandomBytes): string {
  return `${kind}_${hex(randomBytes(16))}`;
}

let lastInstant = '';
let lastInstantHex = '';

/**
 * An id for a row that is only ever appended, as long as newId's: the kind, the milliseconds of
 * `at` (an ISO timestamp) in 12 hex digits, then 80 random bits. Ids written together sort
 * together, so their primary key index grows at its end: a push's hundreds of events dirty a
 * few pages instead of one random page each (about half of SQLite's CPU an event row, measured
 * in bench/pushfast). Unique as newId is: 80 random bits within one millisecond.
 */
export function newTimeOrderedId(kind: string, at: string, randomBytes: RandomBytes): string {
  if (at !== lastInstant) {
    const ms = Date.parse(at);
    lastInstantHex = (Number.isFinite(ms) ? Math.max(0, ms) : 0).toString(16).padStart(12, '0');
    lastInstant = at;
  }
  return `${kind}_${lastInstantHex}${hex(randomBytes(10))}`;
}

export function isoNow(clock: Clock): string {
  return clock().toISOString();
}

/** Requests per minute per client address. */
export type RateLimits = { readonly enrol: number; readonly portal: number };

/** What every feature's routes receive; built once by buildServer. */
export type AppContext = {
  readonly db: Db;
  readonly masterKey: Uint8Array;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly notifier: ChangeNotifier;
  readonly demo: boolean;
  /** Where customers reach the portal: the base of redemption links (PUBLIC_URL). */
  readonly publicUrl: () => string;
  readonly version: string;
  readonly rateLimits: RateLimits;
  /** Where request limits count: shared rows, or this process only (http/rate-limit-store.ts). */
  readonly limitStore: LimitStore;
  readonly heartbeatMs: number;
  /** Card payments; null when no Stripe key is configured (the counter then takes cash only). */
  readonly payments: PaymentGateway | null;
};

/** PUBLIC_URL as a function (it may be known only after listening), without a trailing slash. */
export function publicUrlOf(source: string | (() => string) | undefined): () => string {
  return () => {
    const url = typeof source === 'function' ? source() : source;
    return (url ?? 'http://localhost:8787').replace(/\/+$/, '');
  };
}
