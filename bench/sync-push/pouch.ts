import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import PouchAdapterHttp from 'pouchdb-adapter-http';
import PouchAdapterMemory from 'pouchdb-adapter-memory';
import PouchReplication from 'pouchdb-replication';
import { freePort } from '../../test/support/free-port.ts';

PouchDB.plugin(PouchAdapterMemory).plugin(PouchAdapterHttp).plugin(PouchReplication);

/** PouchDB's replicate() without options: `batch_size` 100 documents, `batches_limit` 10. */
export const POUCH_BATCH_SIZE = 100;

export type PouchPush = {
  readonly seconds: number;
  /** Documents in the remote database after replication (`info().doc_count`). */
  readonly remoteDocs: number;
  readonly docsWritten: number;
  /** Bytes the remote database's LevelDB files take on disk after the run. */
  readonly diskBytes: number;
  readonly diskFiles: readonly string[];
};

type PouchServer = { readonly url: string; readonly dir: string; stop(): Promise<void> };

/**
 * pouchdb-server 4.2.0 as its own process, LevelDOWN (LevelDB on disk) under a temporary
 * directory: the classic offline-first stack's default. Its config.json and log.txt go there too.
 */
async function startPouchServer(): Promise<PouchServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'entitle-bench-pouchdb-'));
  const port = await freePort();
  const bin = path.resolve('node_modules/pouchdb-server/bin/pouchdb-server');
  let output = '';
  const child = spawn(
    process.execPath,
    [bin, '--port', String(port), '--dir', dir, '--config', path.join(dir, 'config.json')],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited at start:\n${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`pouchdb-server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` with its size: proof that the documents reached the disk. */
async function filesUnder(dir: string): Promise<{ bytes: number; files: string[] }> {
  let bytes = 0;
  const files: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    bytes += (await stat(file)).size;
    files.push(path.relative(dir, file));
  }
  return { bytes, files };
}

/**
 * The baseline: a local PouchDB (memory adapter) holding the same sales, same JSON (plus the
 * `_id` PouchDB needs), replicated once with `PouchDB.replicate(local, remote)` and its defaults.
 */
export async function runPouchPush(
  sales: readonly ({ readonly id: string } & object)[],
): Promise<PouchPush> {
  const server = await startPouchServer();
  const local = new PouchDB(`bench-sales-${String(Date.now())}`, { adapter: 'memory' });
  try {
    await local.bulkDocs(sales.map((sale) => ({ _id: sale.id, ...sale })));
    const remote = new PouchDB(`${server.url}/sales`);
    await remote.info();
    const start = performance.now();
    const result = await PouchDB.replicate(local, remote);
    const seconds = (performance.now() - start) / 1000;
    const info = await remote.info();
    const disk = await filesUnder(path.join(server.dir, 'sales'));
    return {
      seconds,
      remoteDocs: info.doc_count,
      docsWritten: result.docs_written,
      diskBytes: disk.bytes,
      diskFiles: disk.files,
    };
  } finally {
    await local.destroy();
    await server.stop();
  }
}
