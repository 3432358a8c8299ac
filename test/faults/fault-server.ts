import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databasePath, openLocation } from '../../sync-server/db/connection.ts';
import type { Db } from '../../sync-server/db/schema.ts';
import { systemClock, systemRandomBytes } from '../../sync-server/deps.ts';
import { createPairingCode } from '../../sync-server/enrol/pairing-codes.ts';
import { freshDatabase, type FreshDatabase } from '../../sync-server/test-support/test-database.ts';
import { freePort } from '../support/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * The real sync server as a child process on the engine under test (so it can be SIGKILLed and
 * started again on the same data), a database connection of the test's own to look at what the
 * server stored, and proxies the terminals talk through.
 */
export type FaultServer = {
  readonly engine: FreshDatabase['engine'];
  /** PostgreSQL: the server's DATABASE_URL; SQLite: undefined. */
  readonly databaseUrl: string | undefined;
  /** The test's own connection to the server's database, for checks and pairing codes. */
  readonly db: Db;
  readonly storeId: string;
  readonly kills: number;
  /** A fresh pairing code for the store, as `npm run server -- pairing-code` makes it. */
  pairingCode(): Promise<string>;
  /** A proxy in front of the server, closed with the server. */
  proxy(): Promise<TcpProxy>;
  /**
   * PostgreSQL only: the database becomes read-only by default and every connection to it is
   * terminated, so the server's next ones are read-only sessions (in-flight transactions fail
   * with 57P01); ``setReadOnly(false)` undoes it the same way.
   */
  setReadOnly(readOnly: boolean): Promise<void>;
  /** SIGKILL: no shutdown, no flush; whatever was mid-transaction is rolled back. */
  kill(): Promise<void>;
  /** Starts the server again on the same data directory, database and port. */
  start(): Promise<void>;
  output(): string;
  close(): Promise<void>;
};

export async function startFaultServer(): Promise<FaultServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-faults-'));
  const fresh = await freshDatabase();
  const port = await freePort();
  const settings = { dataDir, port, demo: true, env: fresh.env };
  let server: ServerProcess | null = await startServerProcess(settings);
  let kills = 0;
  let earlierOutput = '';
  const db = openLocation(
    fresh.url === undefined
      ? { engine: 'sqlite', file: databasePath(dataDir) }
      : { engine: 'postgres', url: fresh.url },
    { max: 2 },
  );
  const store = await db.selectFrom('stores').select('id').executeTakeFirstOrThrow();
  const proxies: TcpProxy[] = [];

  return {
    engine: fresh.engine,
    databaseUrl: fresh.url,
    db,
    storeId: store.id,
    get kills() {
      return kills;
    },
    pairingCode: async () =>
      (
        await createPairingCode(db, store.id, {
          clock: systemClock,
          randomBytes: systemRandomBytes,
        })
      ).code,
    async proxy() {
      const proxy = await startTcpProxy({ port });
      proxies.push(proxy);
      return proxy;
    },
    async setReadOnly(readOnly) {
      if (fresh.url === undefined) throw new Error('Read-only by default is a PostgreSQL switch.');
      const admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
      try {
        // A session opened while the database is read-only must be made writable to undo it.
        await admin.query('set default_transaction_read_only = off');
        const setting = readOnly
          ? 'set default_transaction_read_only = on'
          : 'reset default_transaction_read_only';
        await admin.query(`alter database "${new URL(fresh.url).pathname.slice(1)}" ${setting}`);
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
      } finally {
        await admin.end();
      }
    },
    async kill() {
      if (server === null) return;
      earlierOutput += server.output();
      await server.stop('SIGKILL');
      server = null;
      kills += 1;
    },
    async start() {
      if (server !== null) return;
      server = await startServerProcess(settings);
    },
    output: () => earlierOutput + (server?.output() ?? ''),
    async close() {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await server?.stop();
      await db.destroy();
      await fresh.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
