import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { SyncedCollection } from '../../shared/schemas/protocol.ts';
import { TERMINAL_REVOKED_MESSAGE } from '../auth/revoke.ts';
import { isPostgres } from '../db/connection.ts';
import type { Db } from '../db/schema.ts';
import {
  createMemoryNotifier,
  type ChangeListener,
  type ChangeNotifier,
  type RevokedListener,
} from './change-notifier.ts';

/** The one channel every instance LISTENs on (per database: NOTIFY never crosses databases). */
export const CHANGE_CHANNEL = 'entitle_changes';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7_999;
/** Shown in pg_stat_activity, so an operator can tell the listening connection from the pool. */
export const LISTENER_APPLICATION_NAME = 'entitle-notifier';
const ALL_COLLECTIONS = SyncedCollection.options;

/**
 * On the wire: `i` the sending instance, then a store change (`s`, `c`, and `o` when it concerns
 * one terminal alone) or a revocation (`t`, `m`). An instance that predates `o` ignores it and
 * tells the whole store: more than needed, never less.
 */
type Message =
  | {
      readonly i: string;
      readonly s: string;
      readonly c: readonly SyncedCollection[];
      readonly o?: string;
    }
  | { readonly i: string; readonly t: string; readonly m: string };

export type NotifierLog = (error: unknown, message: string) => void;

export type PostgresNotifierOptions = {
  /** The pool NOTIFY is sent through; also read after a reconnect (revoked terminals). */
  readonly db: Db;
  /** DATABASE_URL: the dedicated listening connection is opened on it, outside the pool. */
  readonly url: string;
  readonly log: NotifierLog;
  /** First pause before reconnecting, doubled up to `maxReconnectMs`; default 250 ms and 10 s. */
  readonly reconnectMs?: number;
  readonly maxReconnectMs?: number;
};

export type PostgresNotifier = ChangeNotifier & {
  /** Ends the listening connection; later publishes still reach this instance's listeners. */
  close(): Promise<void>;
};

function parse(text: string): Message | null {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value.i !== 'string') return null;
    if (typeof value.s === 'string' && Array.isArray(value.c)) {
      const c = value.c.filter((name) => SyncedCollection.safeParse(name).success);
      const change = { i: value.i, s: value.s, c: c as SyncedCollection[] };
      return typeof value.o === 'string' ? { ...change, o: value.o } : change;
    }
    if (typeof value.t === 'string' && typeof value.m === 'string') {
      return { i: value.i, t: value.t, m: value.m };
    }
    return null;
  } catch {
    return null;
  }
}

/** Counts listeners per key, so a reconnect knows which stores and terminals to tell. */
function keyCounter() {
  const counts = new Map<string, number>();
  return {
    keys: () => [...counts.keys()],
    track(key: string, unsubscribe: () => void): () => void {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        unsubscribe();
        const n = (counts.get(key) ?? 1) - 1;
        if (n === 0) counts.delete(key);
        else counts.set(key, n);
      };
    },
  };
}

/**
 * The ChangeNotifier for several server instances on one PostgreSQL. publish/revoke tell this
 * instance's listeners at once (as the memory notifier does, so a request's own stream never
 * waits on the database) and send `pg_notify` for the others; each instance LISTENs on one
 * connection of its own (a pool connection would be handed to queries and lose the LISTEN) and
 * skips its own messages. A stream carries only "pull now", so what a dropped listening
 * connection missed is repaired on reconnect by telling every local stream that every collection
 * may have changed, and by ending the streams of terminals revoked meanwhile.
 */
export async function startPostgresNotifier(
  options: PostgresNotifierOptions,
): Promise<PostgresNotifier> {
  const { db, url, log } = options;
  const firstPauseMs = options.reconnectMs ?? 250;
  const maxPauseMs = options.maxReconnectMs ?? 10_000;
  const instance = randomBytes(8).toString('hex');
  const local = createMemoryNotifier((error) => {
    log(error, 'change listener failed');
  });
  const stores = keyCounter();
  const terminals = keyCounter();
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let pauseMs = firstPauseMs;

  function send(message: Message): void {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      log(new Error(`${String(Buffer.byteLength(payload))} bytes`), 'change notice too large');
      return;
    }
    // After the commit, outside the request's transaction: a failed NOTIFY is logged, never
    // thrown into the request (the other instances' terminals catch up on their next pull).
    sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`.execute(db).catch((error: unknown) => {
      log(error, 'change notice not sent');
    });
  }

  function receive(text: string | undefined): void {
    const message = text === undefined ? null : parse(text);
    if (message === null || message.i === instance) return;
    if ('s' in message) local.publish(message.s, message.c, message.o);
    else local.revoke(message.t, message.m);
  }

  /** What this instance may have missed while it was not listening. */
  async function catchUp(): Promise<void> {
    for (const storeId of stores.keys()) local.publish(storeId, ALL_COLLECTIONS);
    const watched = terminals.keys();
    if (watched.length === 0) return;
    const revoked = await db
      .selectFrom('terminals')
      .select('id')
      .where('id', 'in', watched)
      .where('revoked_at', 'is not', null)
      .execute();
    for (const { id } of revoked) local.revoke(id, TERMINAL_REVOKED_MESSAGE);
  }

  function reconnectLater(): void {
    if (closed || timer !== undefined) return;
    const wait = pauseMs;
    pauseMs = Math.min(pauseMs * 2, maxPauseMs);
    timer = setTimeout(() => {
      timer = undefined;
      connect()
        .then(
          () => catchUp(),
          (error: unknown) => {
            log(error, 'change listener could not reconnect; trying again');
            reconnectLater();
          },
        )
        .catch((error: unknown) => {
          log(error, 'change listener could not catch up');
        });
    }, wait);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: url,
      application_name: LISTENER_APPLICATION_NAME,
    });
    // Until LISTEN succeeded, a failure is connect()'s to report, not a drop to repair.
    let live = false;
    const drop = (error?: Error): void => {
      if (!live) return;
      live = false;
      if (client === next) client = undefined;
      if (closed) return;
      log(error ?? new Error('connection ended'), 'change listener lost its connection');
      next.end().catch(() => undefined);
      reconnectLater();
    };
    next.on('error', drop);
    next.on('end', () => {
      drop();
    });
    next.on('notification', (notice) => {
      receive(notice.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    live = true;
    client = next;
    pauseMs = firstPauseMs;
  }

  await connect();

  return {
    publish(storeId, collections, terminalId) {
      local.publish(storeId, collections, terminalId);
      send({
        i: instance,
        s: storeId,
        c: collections,
        ...(terminalId === undefined ? {} : { o: terminalId }),
      });
    },
    subscribe: (storeId, listener: ChangeListener, terminalId?: string) =>
      stores.track(storeId, local.subscribe(storeId, listener, terminalId)),
    revoke(terminalId, message) {
      local.revoke(terminalId, message);
      send({ i: instance, t: terminalId, m: message.slice(0, 1_000) });
    },
    onRevoked: (terminalId, listener: RevokedListener) =>
      terminals.track(terminalId, local.onRevoked(terminalId, listener)),
    async close() {
      closed = true;
      clearTimeout(timer);
      const open = client;
      client = undefined;
      await open?.end();
    },
  };
}

export type ChosenNotifier = {
  readonly kind: 'memory' | 'postgres';
  readonly notifier: ChangeNotifier;
  close(): Promise<void>;
};

/**
 * The notifier for a server over `db`: LISTEN/NOTIFY on PostgreSQL, where other instances may
 * serve the same stores; in memory on SQLite, which one process serves alone.
 */
export async function chooseNotifier(options: {
  readonly db: Db;
  readonly databaseUrl: string | undefined;
  readonly log: NotifierLog;
}): Promise<ChosenNotifier> {
  const { db, databaseUrl, log } = options;
  if (databaseUrl !== undefined && isPostgres(db)) {
    const notifier = await startPostgresNotifier({ db, url: databaseUrl, log });
    return { kind: 'postgres', notifier, close: () => notifier.close() };
  }
  const notifier = createMemoryNotifier((error) => {
    log(error, 'change listener failed');
  });
  return { kind: 'memory', notifier, close: () => Promise.resolve() };
}
