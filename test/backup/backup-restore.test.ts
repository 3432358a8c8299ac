import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackupCommand } from '../../sync-server/backup/commands.ts';
import type { BackupContents } from '../../sync-server/backup/refused.ts';
import { codesOfSale, type Sale } from '../../shared/schemas/sale.ts';
import { GIFT_25, type LineInput } from '../../sync-server/test-support/sales.ts';
import { freshDatabase, type FreshDatabase } from '../../sync-server/test-support/test-database.ts';
import { PG_BIN_ENV } from '../postgres/test-env.ts';
import { enrolApiTerminal, type ApiTerminal } from '../support/api-terminal.ts';
import { freePort } from '../support/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { copyMasterKey, pullCodes, runServerCommand, storedFacts, tempDir } from './support.ts';

/**
 * The operator's round trip on the engine under test: the real server process takes sales from
 * several terminals, `npm run server -- backup` copies it while it runs, `restore` puts the copy
 * in a new place (or back over the live one), and a server started on it has every sale and code.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<FreshDatabase> {
  const fresh = await freshDatabase();
  cleanups.push(() => fresh.drop());
  return fresh;
}

function dir(name: string): string {
  const path = tempDir(name);
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

async function server(
  dataDir: string,
  env: Record<string, string>,
  port?: number,
): Promise<ServerProcess> {
  const started = await startServerProcess({ dataDir, port: port ?? (await freePort()), env });
  cleanups.push(() => started.stop());
  return started;
}

const GIFT_50: LineInput = { ...GIFT_25, productId: 'prod-gift-50', unitPrice: 5000 };

/** `count` sales per till, alternately one and two codes, pushed two at a time. */
async function sell(tills: readonly ApiTerminal[], count: number): Promise<Sale[]> {
  const sold = await Promise.all(
    tills.map(async (till) => {
      const sales: Sale[] = [];
      for (let i = 0; i < count; i++) {
        sales.push(
          await till.makeSale([{ ...(i % 2 === 0 ? GIFT_25 : GIFT_50), quantity: 1 + (i % 2) }]),
        );
      }
      for (let i = 0; i < sales.length; i += 2) await till.push('sales', sales.slice(i, i + 2));
      return sales;
    }),
  );
  return sold.flat();
}

/** The same commands in-process (the CLI itself is run in the first test), to keep this fast. */
function command(
  name: 'backup' | 'restore',
  fresh: FreshDatabase,
  dataDir: string,
  file: string,
): Promise<BackupContents> {
  const config = { dataDir, ...(fresh.url === undefined ? {} : { databaseUrl: fresh.url }) };
  return runBackupCommand(name, config, [file], {
    say: () => undefined,
    clock: () => new Date(),
    env: process.env,
  });
}

const idsOf = (sales: readonly Sale[]): string[] => sales.map((sale) => sale.id).sort();
const codesOf = (sales: readonly Sale[]): string[] => sales.flatMap(codesOfSale).sort();
/** The codes a terminal pulls the statuses of: those its own sales issued. */
const codesSoldBy = (terminal: { readonly terminalId: string }, sales: readonly Sale[]) =>
  codesOf(sales.filter((sale) => sale.terminalId === terminal.terminalId));

// Server processes and the CLI start through tsx: seconds each on a loaded 2-core machine.
describe('backup and restore', { timeout: 120_000 }, () => {
  it('a backup taken while terminals push restores into a new place with every sale and code', async () => {
    const source = await database();
    const target = await database();
    const [liveDir, restoredDir, files] = [dir('live'), dir('restored'), dir('files')];
    const backupFile = join(files, 'entitle.backup');
    const live = await server(liveDir, source.env);
    const tills = await Promise.all(
      ['Till A', 'Till B', 'Till C'].map((name) => enrolApiTerminal(live.url, name)),
    );
    const before = await sell(tills, 4);

    // The backup runs while the tills keep pushing: it holds the first sales and, of the rest,
    // whole sales only (a sale with all its codes, or not at all).
    const [backup, during] = await Promise.all([
      runServerCommand(['backup', backupFile], { DATA_DIR: liveDir, ...source.env }),
      sell(tills, 2),
    ]);
    expect(backup.output).toContain('Backed up');
    expect(backup.code).toBe(0);
    expect(backup.output).toContain('master.key');
    await live.stop();

    const restore = await runServerCommand(['restore', backupFile], {
      DATA_DIR: restoredDir,
      ...target.env,
    });
    expect(restore.output).toContain('Restored');
    expect(restore.code).toBe(0);
    copyMasterKey(liveDir, restoredDir);

    const restored = await server(restoredDir, target.env);
    // The tills' credentials came back with the database (and the master key): they pull.
    const puller = tills[0]?.credentials ?? fail();
    const pulled = await pullCodes(restored.url, puller);
    await restored.stop();

    const facts = await storedFacts(restoredDir, target.url);
    const inBackup = [...before, ...during.filter((sale) => facts.saleIds.includes(sale.id))];
    expect(facts.saleIds).toEqual(idsOf(inBackup));
    expect(idsOf(before).every((id) => facts.saleIds.includes(id))).toBe(true);
    expect(facts.codes).toEqual(codesOf(inBackup));
    expect(pulled.codes.sort()).toEqual(codesSoldBy(puller, inBackup));
    // What the backup said it holds is what came back.
    expect(backup.output).toContain(
      `${String(facts.saleRows)} sales and ${String(facts.codeRows)} codes`,
    );

    // On PostgreSQL the documented command by hand gives the same database.
    if (source.engine === 'postgres') {
      const byHand = await database();
      const restoreByHand = await runPgRestore(byHand.url ?? '', backupFile);
      expect(restoreByHand.code).toBe(0);
      expect(await storedFacts(restoredDir, byHand.url)).toEqual(facts);
    }
  });

  it('after a restore to an older backup the terminals push again and every sale is there once', async () => {
    const fresh = await database();
    const [dataDir, files] = [dir('data'), dir('files')];
    const backupFile = join(files, 'older.backup');
    // The same address before and after: the tills keep their server URL.
    const port = await freePort();
    let live = await server(dataDir, fresh.env, port);
    const tills = await Promise.all(
      ['Till A', 'Till B'].map((name) => enrolApiTerminal(live.url, name)),
    );
    const first = await sell(tills, 3);
    await command('backup', fresh, dataDir, backupFile);
    const after = await sell(tills, 3);
    const till = tills[0]?.credentials ?? fail();
    const seen = await pullCodes(live.url, till);
    expect(seen.codes.sort()).toEqual(codesSoldBy(till, [...first, ...after]));

    // Refused while the server runs, and nothing changes.
    await expect(command('restore', fresh, dataDir, backupFile)).rejects.toThrow(
      /A server is (using|connected).*Stop/,
    );
    expect((await pullCodes(live.url, till)).codes.sort()).toEqual(seen.codes.sort());
    await live.stop();
    // A table a newer migration would have made since the backup (PostgreSQL keeps it otherwise).
    if (fresh.engine === 'postgres') await tableExists(fresh, 'made_after_backup', 'create');

    const restored = await command('restore', fresh, dataDir, backupFile);
    if (fresh.engine === 'postgres') {
      expect(await tableExists(fresh, 'made_after_backup', 'check')).toBe(false);
    }
    expect(restored).toMatchObject({ sales: first.length, codes: codesOf(first).length });
    // The database it replaced is kept.
    const kept =
      fresh.engine === 'sqlite'
        ? readdirSync(dataDir).filter((name) => name.includes('before-restore'))
        : readdirSync(join(dataDir, 'backups'));
    expect(kept).toHaveLength(1);
    expect((await storedFacts(dataDir, fresh.url)).saleIds).toEqual(idsOf(first));

    live = await server(dataDir, fresh.env, port);
    // Each terminal pushes every sale it holds, as the POS does once it sees the restored
    // database's new generation (test/backup/till-recovers.test.ts runs the real POS): the later
    // ones come back, and a repeat of a restored sale changes nothing.
    for (const tillOf of tills) {
      const mine = [...first, ...after].filter(
        (sale) => sale.terminalId === tillOf.credentials.terminalId,
      );
      expect(mine).toHaveLength(6);
      for (let i = 0; i < mine.length; i += 3) await tillOf.push('sales', mine.slice(i, i + 3));
    }
    // The till pulls on from the checkpoint it had before the restore and still hears of the
    // codes the re-pushed sales issued: the change sequence did not go back.
    const caughtUp = await pullCodes(live.url, till, seen.lastSeq);
    expect(caughtUp.codes.sort()).toEqual(codesSoldBy(till, after));
    await live.stop();

    const facts = await storedFacts(dataDir, fresh.url);
    expect(facts.saleRows).toBe(first.length + after.length);
    expect(facts.saleIds).toEqual(idsOf([...first, ...after]));
    expect(facts.codeRows).toBe(codesOf([...first, ...after]).length);
    expect(facts.codes).toEqual(codesOf([...first, ...after]));
    expect(existsSync(backupFile)).toBe(true);
  });
});

/** Makes a table in the test's PostgreSQL database, or tells whether it is there. */
async function tableExists(
  fresh: FreshDatabase,
  table: string,
  action: 'create' | 'check',
): Promise<boolean> {
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  try {
    if (action === 'create') await client.query(`CREATE TABLE ${table} (id integer)`);
    const result = await client.query<{ present: boolean }>(
      'SELECT to_regclass($1) IS NOT NULL AS present',
      [table],
    );
    return result.rows[0]?.present === true;
  } finally {
    await client.end();
  }
}

/** `pg_restore --clean --if-exists --no-owner -d <url> <file>`, as docs/backup.md shows it. */
function runPgRestore(url: string, file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // The suite's own cluster's programs when it started one, otherwise pg_restore on PATH.
    const bin = process.env[PG_BIN_ENV];
    const program = bin === undefined ? 'pg_restore' : join(bin, 'pg_restore');
    const child = spawn(program, ['--clean', '--if-exists', '--no-owner', '-d', url, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function fail(): never {
  throw new Error('No terminal was enrolled.');
}
