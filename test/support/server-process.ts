import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export type ServerProcess = {
  readonly url: string;
  readonly output: () => string;
  /** The server process's id (the benchmarks read its resident memory). */
  readonly pid: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Runs the real sync server (`sync-server/main.ts`) as its own process, as `npm start` does, so a
 * test can stop it, kill it and start it again on the same data directory and port.
 */
export async function startServerProcess(options: {
  readonly dataDir: string;
  readonly port: number;
  readonly demo?: boolean;
  readonly env?: Record<string, string>;
  /** How long to wait for /health before giving up (and stopping the process), ms. */
  readonly startTimeoutMs?: number;
}): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${String(options.port)}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DEMO: options.demo === false ? '0' : '1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  // Up when this child says it listens on the port (app.ts), and /health answers there: an
  // answer alone may come from another process on that port while this one failed to bind.
  const listening = `listening on ${url}\n`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The sync server exited at start:\n${output}`);
    try {
      if (output.includes(listening) && (await fetch(`${url}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      // A server that is slow to answer may still come up later: stop it, or it outlives the
      // test (or benchmark) that gave up on it, holding its port and keeping the run alive.
      child.kill('SIGKILL');
      await exited;
      throw new Error(`The sync server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    output: () => output,
    pid: child.pid ?? 0,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}
