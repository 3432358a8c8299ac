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
export const systemRandomBytes: RandomBytes = (size) => new Uint8Array(nodeRandomBytes(size));

/** A server-generated document id: a readable kind plus 128 random bits, e.g. `term_3f9a…`. */
export function newId(kind: string, randomBytes: RandomBytes): string {
  return `${kind}_${Buffer.from(randomBytes(16)).toString('hex')}`;
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
