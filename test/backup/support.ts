import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_PREFIX,
  type EnrolResponse,
  type PullResponse,
} from '../../shared/schemas/protocol.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { locationOf, openLocation } from '../../sync-server/db/connection.ts';
import { syncHeaders } from '../../sync-server/test-support/sales.ts';

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `entitle-backup-${name}-`));
}

/** Runs `npm run server -- <args>` as the operator would (the same entry point, no npm wrapper). */
export function runServerCommand(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // DATABASE_URL only when the test gives one (the suite's own may name the admin database).
    const { DATABASE_URL: _suite, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', ...args], {
      env: { ...inherited, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** What the server's database holds, read directly after the server stopped. */
export async function storedFacts(
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<{ saleIds: string[]; codes: string[]; saleRows: number; codeRows: number }> {
  const db = openLocation(locationOf({ dataDir, databaseUrl }), { max: 1 });
  try {
    const sales = await db.selectFrom('sales').select('id').execute();
    const codes = await db.selectFrom('entitlements').select('code').execute();
    return {
      saleIds: sales.map((row) => row.id).sort(),
      codes: codes.map((row) => row.code).sort(),
      saleRows: sales.length,
      codeRows: codes.length,
    };
  } finally {
    await db.destroy();
  }
}

/** Every code status a terminal pulls after `seq`, page by page, as the POS does. */
export async function pullCodes(
  serverUrl: string,
  credentials: EnrolResponse,
  seq = 0,
): Promise<{ codes: string[]; lastSeq: number }> {
  const codes: string[] = [];
  let checkpoint = seq;
  for (;;) {
    const response = await fetch(
      `${serverUrl}${API_PREFIX}/sync/entitlements/pull?seq=${String(checkpoint)}&limit=500`,
      { headers: syncHeaders(credentials.token) },
    );
    if (!response.ok) throw new Error(`Pull answered ${String(response.status)}`);
    const page = (await response.json()) as PullResponse<EntitlementStatus>;
    codes.push(...page.documents.map((document) => document.code));
    if (page.documents.length === 0) return { codes, lastSeq: checkpoint };
    checkpoint = page.checkpoint.seq;
  }
}

/** What the operator does by hand after restoring into a new data directory (docs/backup.md). */
export function copyMasterKey(fromDataDir: string, toDataDir: string): void {
  mkdirSync(join(toDataDir, 'keys'), { recursive: true, mode: 0o700 });
  copyFileSync(join(fromDataDir, 'keys', 'master.key'), join(toDataDir, 'keys', 'master.key'));
}
