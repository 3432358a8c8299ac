import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app.ts';
import { seedDemoCatalogue } from '../catalogue/demo-catalogue.ts';
import { ensureStore, type Store } from '../catalogue/stores.ts';
import type { Db } from '../db/schema.ts';
import {
  isoNow,
  newId,
  publicUrlOf,
  systemRandomBytes,
  type Clock,
  type RandomBytes,
  type RateLimits,
} from '../deps.ts';
import { createPairingCode } from '../enrol/pairing-codes.ts';
import type { MailMessage, Mailer } from '../mail/mailer.ts';
import { createSmtpMailer } from '../mail/smtp-mailer.ts';
import { openTestDatabase } from './test-database.ts';
import { createAppOutbox } from '../outbox/app-outbox.ts';
import type { OutboxLogger, OutboxWorker } from '../outbox/worker.ts';
import type { PaymentGateway } from '../payments/gateway.ts';
import { createMemoryNotifier, type ChangeNotifier } from '../sync/change-notifier.ts';
import type { LimitStore } from '../http/rate-limit-store.ts';

export const TEST_START = '2026-11-26T10:00:00.000Z';

export type TestClock = { readonly now: Clock; set(iso: string): void; advance(ms: number): void };

/** A clock that moves only when the test says so. */
export function testClock(start = TEST_START): TestClock {
  let time = Date.parse(start);
  return {
    now: () => new Date(time),
    set: (iso) => {
      time = Date.parse(iso);
    },
    advance: (ms) => {
      time += ms;
    },
  };
}

/** Deterministic bytes from a seed (SHA-256 in counter mode): replayable ids and secrets. */
export function seededRandomBytes(seed: string): RandomBytes {
  let counter = 0;
  return (size) => {
    const out = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, size - offset)), offset);
    }
    return out;
  };
}

/** For workers under test: failures are asserted through the outbox rows, not the log. */
export const silentLogger: OutboxLogger = { warn: () => undefined, error: () => undefined };

export type TestApp = {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly clock: TestClock;
  readonly notifier: ChangeNotifier;
  /** The server's own store ("Test Shop", EUR). */
  readonly store: Store;
  /** The app's outbox worker, never started: call `runOnce()`. */
  readonly outbox: OutboxWorker;
  /** What the default mailer was asked to send (empty when a `mailer` option is given). */
  readonly mail: MailMessage[];
  /** The server's master key: seals code keys and the licence signing key. */
  readonly masterKey: Uint8Array;
  /** A fresh pairing code for a store (default: `store`), formatted ABCD-1234. */
  pairingCode(storeId?: string): Promise<string>;
  /** Another store on the same server, to prove scoping. */
  addStore(name: string): Promise<Store>;
  close(): Promise<void>;
};

/**
 * buildServer over a private database on the engine under test (SQLite in memory, or a fresh
 * PostgreSQL database in the `postgres` project) with a frozen clock; close() in afterEach.
 */
export async function createTestApp(
  options: {
    demo?: boolean;
    randomBytes?: RandomBytes;
    rateLimits?: Partial<RateLimits>;
    /** Where limits count; default as in buildServer (SQLite memory, PostgreSQL database). */
    limitStore?: LimitStore;
    heartbeatMs?: number;
    notifier?: ChangeNotifier;
    /** Default: a mailer that records into `mail`. */
    mailer?: Mailer;
    publicUrl?: string;
    /** Card payments (a fake gateway); also given to the outbox for offline card refunds. */
    payments?: PaymentGateway;
    /** The ports the print relay may reach (PRINTER_PORTS). */
    printerPorts?: readonly number[];
  } = {},
): Promise<TestApp> {
  const clock = testClock();
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const db = await openTestDatabase();
  const deps = { clock: clock.now, randomBytes };
  const store = await ensureStore(db, { demo: false, name: 'Test Shop', currency: 'EUR' }, deps);
  if (options.demo) await seedDemoCatalogue(db, clock.now);
  const notifier =
    options.notifier ??
    createMemoryNotifier((error) => {
      throw error;
    });
  const publicUrl = publicUrlOf(options.publicUrl);
  const masterKey = randomBytes(32);
  const app = await buildServer({
    db,
    masterKey,
    demo: options.demo ?? false,
    publicUrl,
    clock: clock.now,
    randomBytes,
    notifier,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.limitStore ? { limitStore: options.limitStore } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.payments ? { payments: options.payments } : {}),
    ...(options.printerPorts ? { printerPorts: options.printerPorts } : {}),
  });
  const mail: MailMessage[] = [];
  const recorder: Mailer = {
    send: (message) => {
      mail.push(message);
      return Promise.resolve();
    },
  };
  const outbox = createAppOutbox({
    db,
    clock: clock.now,
    randomBytes,
    masterKey,
    mailer: options.mailer ?? recorder,
    publicUrl,
    logger: silentLogger,
    ...(options.payments ? { payments: options.payments } : {}),
  });
  return {
    app,
    db,
    clock,
    notifier,
    store,
    outbox,
    mail,
    masterKey,
    pairingCode: async (storeId = store.id) => (await createPairingCode(db, storeId, deps)).code,
    addStore: async (name) => {
      const other: Store = {
        id: newId('store', randomBytes),
        name,
        currency: 'EUR',
        createdAt: isoNow(clock.now),
      };
      await db
        .insertInto('stores')
        .values({ id: other.id, name, currency: 'EUR', created_at: other.createdAt })
        .execute();
      return other;
    },
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

/**
 * A test app whose e-mails go over real SMTP to `smtp` (test-support/smtp.ts), with a public URL
 * the links in them can be checked against: the set-up of every test that reads what arrived.
 */
export function createMailingTestApp(smtp: { readonly url: string }): Promise<TestApp> {
  return createTestApp({
    publicUrl: 'https://shop.example.test',
    mailer: createSmtpMailer({ url: smtp.url, from: 'Test Shop <till@shop.example.test>' }),
  });
}
