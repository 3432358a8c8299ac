import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startThrowawayCluster, type ThrowawayCluster } from '../../test/postgres/cluster.ts';
import { freePort } from '../../test/support/free-port.ts';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.ts';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];
export const ENGINE_NAMES: Readonly<Record<Engine, string>> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
};

export type BenchServer = {
  readonly engine: Engine;
  readonly url: string;
  /** The server's data directory (SQLite file, master key, mail folder). */
  readonly dataDir: string;
  /** Set on PostgreSQL: the database this server uses, for seeding with direct SQL. */
  readonly databaseUrl?: string;
  /** The server process's id, for reading its resident memory. */
  readonly pid: number;
  readonly output: () => string;
  stop(): Promise<void>;
};

let cluster: Promise<ThrowawayCluster> | undefined;
let databases = 0;

/**
 * One durable PostgreSQL cluster for the whole run (fsync on, as in production), started on first
 * use; DATABASE_URL is used instead when set. `stopBenchCluster` ends it.
 */
async function adminUrl(): Promise<string> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  cluster ??= startThrowawayCluster({ durable: true });
  return (await cluster).adminUrl;
}

export async function stopBenchCluster(): Promise<void> {
  const started = cluster;
  cluster = undefined;
  if (started) await (await started).stop();
}

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = await adminUrl();
  databases += 1;
  const name = `entitle_bench_${String(process.pid)}_${String(databases)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/**
 * The real sync server as its own process (as `npm start` runs it) on a fresh, empty store:
 * a temporary data directory, and on PostgreSQL a fresh database. `demo: true` seeds the demo
 * shop (products, staff) and lets terminals enrol themselves.
 */
export async function startBenchServer(options: {
  readonly engine: Engine;
  readonly demo?: boolean;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `entitle-bench-${options.engine}-`));
  const database = options.engine === 'postgres' ? await createDatabase() : undefined;
  const server: ServerProcess = await startServerProcess({
    dataDir,
    port: await freePort(),
    demo: options.demo ?? true,
    env: {
      LOG_LEVEL: 'error',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...options.env,
    },
  });
  return {
    engine: options.engine,
    url: server.url,
    dataDir,
    ...(database ? { databaseUrl: database.url } : {}),
    pid: server.pid,
    output: server.output,
    async stop() {
      await server.stop();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
