import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PREFIX, GENERATION_HEADER } from '../../shared/schemas/protocol.ts';
import { buildServer, startServer } from '../app.ts';
import { runBackupCommand } from '../backup/commands.ts';
import { locationOf, openLocation } from '../db/connection.ts';
import type { Db } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { freshDatabase } from '../test-support/test-database.ts';
import { GENERATION_COUNTER, newGeneration } from './generation.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storedGeneration(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', GENERATION_COUNTER)
    .executeTakeFirst();
  return row?.value;
}

describe('the database generation', () => {
  it('is on every API response, refusals too, exposed to browsers, and stable across starts', async () => {
    const t: TestApp = await createTestApp();
    cleanups.push(() => t.close());
    const stored = await storedGeneration(t.db);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(0x7fff_ffff);

    const refused = await t.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/sync/products/pull`,
      headers: { origin: 'http://pos.test' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.headers[GENERATION_HEADER]).toBe(String(stored));
    expect(String(refused.headers['access-control-expose-headers'])).toContain(GENERATION_HEADER);
    const unknown = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/no-such-route` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers[GENERATION_HEADER]).toBe(String(stored));
    // Pages for people are not the terminals' API.
    const portal = await t.app.inject({ method: 'GET', url: '/redeem' });
    expect(portal.headers[GENERATION_HEADER]).toBeUndefined();

    // Another start (or instance) on the same database announces the same generation.
    const again = await buildServer({ db: t.db, masterKey: t.masterKey });
    cleanups.push(() => again.close());
    const second = await again.inject({ method: 'GET', url: `${API_PREFIX}/no-such-route` });
    expect(second.headers[GENERATION_HEADER]).toBe(String(stored));
  });

  it('a new one is never 0, never negative and never the one before', () => {
    const zeros = () => new Uint8Array(4);
    let calls = 0;
    // Gives 0, then 5 (the previous one), then 0x80000006 (masked to 6).
    const rigged = () => {
      calls += 1;
      return calls === 1
        ? zeros()
        : calls === 2
          ? new Uint8Array([0, 0, 0, 5])
          : new Uint8Array([0x80, 0, 0, 6]);
    };
    expect(newGeneration(rigged, 5)).toBe(6);
    expect(calls).toBe(3);
  });

  it('restore gives the database a new generation, which the next start announces', async () => {
    const fresh = await freshDatabase();
    cleanups.push(() => fresh.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'entitle-generation-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = { dataDir, ...(fresh.url === undefined ? {} : { databaseUrl: fresh.url }) };
    const announced = async (): Promise<string | null> => {
      const running = await startServer({ ...config, port: 0 });
      try {
        const response = await fetch(`${running.url}${API_PREFIX}/no-such-route`);
        return response.headers.get(GENERATION_HEADER);
      } finally {
        await running.stop();
      }
    };
    const deps = { say: () => undefined, clock: () => new Date(), env: process.env };
    const before = await announced();
    expect(Number(before)).toBeGreaterThan(0);
    expect(await announced()).toBe(before);
    const file = join(dataDir, 'generation.backup');
    await runBackupCommand('backup', config, [file], deps);
    await runBackupCommand('restore', config, [file], deps);

    const db = openLocation(locationOf({ dataDir, databaseUrl: fresh.url }), { max: 1 });
    let stored: number | undefined;
    try {
      stored = await storedGeneration(db);
    } finally {
      await db.destroy();
    }
    expect(stored).toBeGreaterThan(0);
    expect(String(stored)).not.toBe(before);
    expect(await announced()).toBe(String(stored));
  });
});
