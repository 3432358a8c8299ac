import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { codesOfSale, type Sale } from '../../shared/schemas/sale.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { completeCashSale } from '../../renderer/checkout/complete-sale.ts';
import type { EntitleDatabase } from '../../renderer/data/database.ts';
import { openTestDatabase } from '../../renderer/data/test-database.ts';
import { enrolTerminal } from '../../renderer/enrol/enrol.ts';
import { pendingCount$ } from '../../renderer/history/queries.ts';
import { createCartCommands } from '../../renderer/sell/cart.ts';
import {
  GENERATION_DOC,
  startSync,
  type GenerationHint,
  type SyncController,
} from '../../renderer/sync/replication.ts';
import { runBackupCommand } from '../../sync-server/backup/commands.ts';
import { freshDatabase } from '../../sync-server/test-support/test-database.ts';
import { freePort } from '../support/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { storedFacts, tempDir } from './support.ts';

/**
 * The real POS replication (RxDB in memory, in Node) against the real server process: the server
 * is restored to a backup older than sales it had confirmed, and the till, still running, pushes
 * them again by itself when it sees the restored database's new generation.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a till after its server is restored to an older backup', { timeout: 120_000 }, () => {
  it('pushes the sales the backup lacks again by itself, and each is on the server once', async () => {
    const fresh = await freshDatabase();
    cleanups.push(() => fresh.drop());
    const dataDir = tempDir('till');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = { dataDir, ...(fresh.url === undefined ? {} : { databaseUrl: fresh.url }) };
    const deps = { say: () => undefined, clock: () => new Date(), env: process.env };
    const port = await freePort();
    let server: ServerProcess | null = await startServerProcess({ dataDir, port, env: fresh.env });
    cleanups.push(() => server?.stop());

    const db: EntitleDatabase = await openTestDatabase();
    cleanups.push(async () => {
      await db.close();
    });
    const credentials: TerminalCredentials = await enrolTerminal({
      serverUrl: server.url,
      terminalName: 'Restored till',
      pairingCode: null,
    });
    const sync: SyncController = startSync(db, credentials, { retryMs: 200 });
    cleanups.push(() => sync.stop());
    await waitFor(async () => (await db.products.count().exec()) >= 1, 'the catalogue');
    const product = (await db.products.find().exec())[0]?.id ?? '';
    const pending = () => firstValueFrom(pendingCount$(db, credentials.terminalId));
    const sell = async (count: number): Promise<Sale[]> => {
      const sales: Sale[] = [];
      for (let i = 0; i < count; i += 1) {
        await createCartCommands(db).add(product);
        sales.push(await completeCashSale(db, credentials, { tendered: 1_000_000 }));
      }
      await waitFor(async () => (await pending()) === 0, 'the sales to sync');
      return sales;
    };
    const hint = async () =>
      (await db.getLocal<GenerationHint>(GENERATION_DOC))?.toJSON().data ?? null;

    const first = await sell(2);
    const file = join(dataDir, 'older.backup');
    await runBackupCommand('backup', config, [file], deps);
    const after = await sell(2);
    const known = await hint();
    expect(known?.keyedOn).toBeNull();

    // The server is stopped and restored while the till keeps running (and retrying).
    await server.stop();
    server = null;
    await runBackupCommand('restore', config, [file], deps);
    expect((await storedFacts(dataDir, fresh.url)).saleIds).toEqual(
      first.map((sale) => sale.id).sort(),
    );
    server = await startServerProcess({ dataDir, port, env: fresh.env });

    await waitFor(async () => {
      const now = await hint();
      return now !== null && now.generation !== known?.generation;
    }, 'the till to see the new generation');
    await waitFor(async () => (await pending()) === 0, 'the till to push again');
    await sync.awaitInSync();
    await server.stop();
    server = null;

    const all = [...first, ...after];
    const facts = await storedFacts(dataDir, fresh.url);
    expect(facts.saleIds).toEqual(all.map((sale) => sale.id).sort());
    expect(facts.saleRows).toBe(all.length);
    expect(facts.codes).toEqual(all.flatMap(codesOfSale).sort());
    expect(facts.codeRows).toBe(all.flatMap(codesOfSale).length);
  });
});
