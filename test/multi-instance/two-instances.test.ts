import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completeCashSale } from '../../renderer/checkout/complete-sale.ts';
import type { EntitleDatabase } from '../../renderer/data/database.ts';
import { openTestDatabase as openTerminalDatabase } from '../../renderer/data/test-database.ts';
import { enrolTerminal } from '../../renderer/enrol/enrol.ts';
import { pendingCount$ } from '../../renderer/history/queries.ts';
import { createCartCommands } from '../../renderer/sell/cart.ts';
import { startSync, type SyncController } from '../../renderer/sync/replication.ts';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type TerminalCredentials,
} from '../../shared/schemas/protocol.ts';
import { startServer, type RunningServer } from '../../sync-server/app.ts';
import { TERMINAL_REVOKED_MESSAGE } from '../../sync-server/auth/revoke.ts';
import { mailFolder } from '../../sync-server/mail/choose-mailer.ts';
import {
  freshDatabase,
  testEngine,
  type FreshDatabase,
} from '../../sync-server/test-support/test-database.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { revokeOnDashboard } from './dashboard-revoke.ts';

/**
 * Two server instances on one PostgreSQL, each with its own pool, outbox worker, live streams
 * and data directory (only the master key copied across), as two machines behind one address
 * would run. Terminals talk to either one.
 */
const onPostgres = testEngine() === 'postgres';
const dirs: string[] = [];
const tempDir = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `entitle-${name}-`));
  dirs.push(dir);
  return dir;
};

async function instance(dataDir: string, databaseUrl: string | undefined): Promise<RunningServer> {
  return startServer({
    dataDir,
    port: 0,
    demo: true,
    outboxPollMs: 50,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
  });
}

let database: FreshDatabase | undefined;
let servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
  await database?.drop();
  database = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reads server-sent events off a real HTTP response, one block at a time, skipping pings. */
async function openStream(serverUrl: string, token: string) {
  const response = await fetch(`${serverUrl}${API_PREFIX}/sync/stream`, {
    headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
  });
  expect(response.status).toBe(200);
  if (response.body === null) throw new Error('no stream body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.startsWith(':')) return block;
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

if (!onPostgres) {
  describe('one instance on SQLite', () => {
    it('keeps live-stream notices in process memory: SQLite is served by one instance', async () => {
      const server = await instance(tempDir('sqlite'), undefined);
      servers.push(server);
      expect(server.notifierKind).toBe('memory');
    });
  });
} else {
  describe('two instances on one PostgreSQL', () => {
    let a: RunningServer;
    let b: RunningServer;
    let dirA: string;
    let dirB: string;
    beforeEach(async () => {
      database = await freshDatabase();
      dirA = tempDir('instance-a');
      dirB = tempDir('instance-b');
      a = await instance(dirA, database.url);
      servers.push(a);
      // Every instance must seal and open code keys with the same master key.
      cpSync(join(dirA, 'keys'), join(dirB, 'keys'), { recursive: true });
      b = await instance(dirB, database.url);
      servers.push(b);
      expect([a.notifierKind, b.notifierKind]).toEqual(['postgres', 'postgres']);
    });

    it('a terminal enrolled on A pushes on B, and its stream held on A hears the change', async () => {
      const onA = await enrolApiTerminal(a.url, 'Till on A');
      const stream = await openStream(a.url, onA.credentials.token);
      expect(await stream.next()).toBe('event: ready\ndata: {}');

      const sale = await onA.makeSale([
        {
          productId: 'prod-gift-25',
          name: 'Gift card €25',
          kind: 'gift_card',
          unitPrice: 2500,
          quantity: 2,
        },
      ]);
      const pushed = await fetch(`${b.url}${API_PREFIX}/sync/sales/push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${onA.credentials.token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
        body: JSON.stringify({
          rows: [{ newDocumentState: { _deleted: false, ...sale }, assumedMasterState: null }],
        }),
      });
      expect(pushed.status).toBe(200);
      expect(await pushed.json()).toEqual({ accepted: [sale.id], rejected: [] });

      expect(await stream.next()).toMatch(/^event: change\ndata: .*"entitlements"/);
      const codes = await a.db
        .selectFrom('entitlements')
        .select('code')
        .where('sale_id', '=', sale.id)
        .execute();
      expect(codes).toHaveLength(2);
      await stream.cancel();
    });

    it('a revocation on B ends the stream held on A at once', async () => {
      const till = await enrolApiTerminal(a.url, 'Till to revoke');
      const stream = await openStream(a.url, till.credentials.token);
      expect(await stream.next()).toBe('event: ready\ndata: {}');

      await revokeOnDashboard(b, till.credentials.terminalId);

      expect(await stream.next()).toBe(
        `event: revoked\ndata: ${JSON.stringify({ message: TERMINAL_REVOKED_MESSAGE })}`,
      );
      expect(await stream.next()).toBeNull();
    });

    it('e-mails queued through A are each sent exactly once while both outbox workers poll', async () => {
      const till = await enrolApiTerminal(a.url, 'Till with buyers');
      const sales = [];
      for (let i = 0; i < 12; i += 1) {
        sales.push(
          await till.makeSale(
            [
              {
                productId: 'prod-gift-25',
                name: 'Gift card €25',
                kind: 'gift_card',
                unitPrice: 2500,
                quantity: 1,
              },
            ],
            { buyerEmail: `buyer${String(i)}@example.test` },
          ),
        );
      }
      await till.push('sales', sales);

      await vi.waitFor(
        async () => {
          const pending = await a.db
            .selectFrom('outbox')
            .select('id')
            .where('state', '!=', 'sent')
            .execute();
          expect(pending).toEqual([]);
        },
        { timeout: 15_000, interval: 100 },
      );
      // Each sale owes its buyer an e-mail of the codes (and an account): every job once, on
      // its first attempt, and one .eml file per e-mail across both instances' mail folders.
      const rows = await b.db.selectFrom('outbox').select(['kind', 'attempts']).execute();
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
      const codeMails = rows.filter((row) => row.kind === 'sale-codes-email');
      expect(codeMails).toHaveLength(12);
      const mailed = [dirA, dirB].flatMap((dir) =>
        readdirSync(mailFolder(dir)).filter((name) => name.endsWith('.eml')),
      );
      expect(mailed).toHaveLength(12);
      const saleIds = mailed.map((name) => /sale-codes-email.([0-9a-f-]{36})/.exec(name)?.[1]);
      expect(saleIds.sort()).toEqual(sales.map((sale) => sale.id).sort());
    });

    it('limits hold across instances: enrolment attempts and dashboard sign-in failures count once for both', async () => {
      // Default enrol limit: 10 a minute per address, spread over A and B.
      const enrol = (server: RunningServer) =>
        server.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/enrol`,
          payload: { pairingCode: 'ZZZZ-9999', terminalName: 'Guess' },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await enrol(i % 2 === 0 ? a : b)).statusCode);
      expect(statuses.slice(0, 10).every((status) => status !== 429)).toBe(true);
      expect(statuses[10]).toBe(429);
      expect((await enrol(a)).statusCode).toBe(429);

      // Ten wrong passwords for one e-mail, half on each instance: the next is refused on both.
      const csrf = 'c'.repeat(43);
      const signIn = (server: RunningServer) =>
        server.app.inject({
          method: 'POST',
          url: '/dashboard/signin',
          headers: {
            cookie: `entitle_csrf=${csrf}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: new URLSearchParams({
            csrf,
            email: 'manager@demo.entitle.test',
            password: 'a wrong guess',
            next: '/dashboard',
          }).toString(),
        });
      for (let i = 0; i < 10; i += 1) {
        expect((await signIn(i % 2 === 0 ? a : b)).statusCode).toBe(401);
      }
      expect((await signIn(a)).statusCode).toBe(429);
      expect((await signIn(b)).statusCode).toBe(429);
    }, 60_000); // ten password checks, each against a deliberately slow hash

    it('a terminal that moves from A to B mid-run converges: every sale once, every status back', async () => {
      const local: EntitleDatabase = await openTerminalDatabase();
      let sync: SyncController | undefined;
      try {
        const credentials: TerminalCredentials = await enrolTerminal({
          serverUrl: a.url,
          terminalName: 'Moving till',
          pairingCode: null,
        });
        sync = startSync(local, credentials, { retryMs: 200 });
        await vi.waitFor(
          async () => {
            expect(await local.products.count().exec()).toBeGreaterThanOrEqual(4);
          },
          { timeout: 15_000, interval: 100 },
        );
        const sell = async (productId: string) => {
          const cart = createCartCommands(local);
          await cart.add(productId);
          return completeCashSale(local, credentials, { tendered: 1_000_000 });
        };
        const sold = [await sell('prod-gift-25'), await sell('prod-gift-50')];
        await firstValueFrom(pendingCount$(local).pipe(filter((count) => count === 0)));

        // Mid-run: A goes out of the rotation; two sales wait on the till, then it talks to B.
        await sync.stop();
        sold.push(await sell('prod-gift-25'), await sell('prod-pcr-test'));
        expect(await firstValueFrom(pendingCount$(local))).toBe(2);
        sync = startSync(local, { ...credentials, serverUrl: b.url }, { retryMs: 200 });
        await firstValueFrom(pendingCount$(local).pipe(filter((count) => count === 0)));

        const stored = await b.db.selectFrom('sales').select('id').execute();
        expect(stored.map((row) => row.id).sort()).toEqual(sold.map((sale) => sale.id).sort());
        const codes = sold.flatMap((sale) => sale.lines.flatMap((line) => line.codes));
        const serverCodes = await b.db
          .selectFrom('entitlements')
          .select(['code', 'state'])
          .execute();
        expect(serverCodes.map((row) => row.code).sort()).toEqual([...codes].sort());
        await vi.waitFor(
          async () => {
            const pulled = await local.entitlements.find().exec();
            expect(pulled.map((doc) => [doc.code, doc.state]).sort()).toEqual(
              serverCodes.map((row) => [row.code, row.state]).sort(),
            );
          },
          { timeout: 15_000, interval: 100 },
        );
      } finally {
        await sync?.stop();
        await local.close();
      }
    });
  });
}
