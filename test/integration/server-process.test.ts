import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../sync-server/test-support/test-database.ts';
import { freePort } from '../support/free-port.ts';
import { startServerProcess } from '../support/server-process.ts';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

/** A fresh database (PostgreSQL when the project runs on it) and data directory, both removed after. */
async function freshStore() {
  const fresh = await freshDatabase();
  cleanups.push(() => fresh.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'entitle-server-process-'));
  cleanups.push(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { fresh, dataDir };
}

describe('startServerProcess', () => {
  it('stops a server it gave up waiting for, so it cannot outlive the run', async () => {
    const { fresh, dataDir } = await freshStore();
    // The server listens on another port than the one polled, so /health never answers there.
    const [polled, actual] = [await freePort(), await freePort()];
    const actualUrl = `http://127.0.0.1:${String(actual)}`;
    let sawItUp = false;
    const start = startServerProcess({
      dataDir,
      port: polled,
      env: { ...fresh.env, PORT: String(actual) },
      startTimeoutMs: 20_000,
    });
    const watch = (async () => {
      const until = Date.now() + 20_000;
      while (!sawItUp && Date.now() < until) {
        sawItUp = await healthy(actualUrl);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    await expect(start).rejects.toThrow('The sync server did not start');
    await watch;
    expect(sawItUp).toBe(true);
    expect(await healthy(actualUrl)).toBe(false);
  }, 60_000);

  it('is not fooled by another process answering /health on its port', async () => {
    const { fresh, dataDir } = await freshStore();
    const port = await freePort();
    const impostor = createServer((_request, response) => {
      response.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    expect(await healthy(`http://127.0.0.1:${String(port)}`)).toBe(true);

    await expect(
      startServerProcess({ dataDir, port, env: fresh.env, startTimeoutMs: 20_000 }),
    ).rejects.toThrow(/already in use/);
  }, 60_000);
});

describe('freePort', () => {
  it('hands out ports below the ephemeral range that can be bound, none twice when asked at once', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
    }
    expect(new Set(ports).size).toBe(ports.length);
  });
});
