import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { recordSaleAudit } from '../../renderer/audit/sale-audit.ts';
import { completeCashSale } from '../../renderer/checkout/complete-sale.ts';
import type { EntitleDatabase } from '../../renderer/data/database.ts';
import { openTestDatabase } from '../../renderer/data/test-database.ts';
import { enrolTerminal } from '../../renderer/enrol/enrol.ts';
import { pendingCount$ } from '../../renderer/history/queries.ts';
import { createCartCommands } from '../../renderer/sell/cart.ts';
import { startSync, type SyncController } from '../../renderer/sync/replication.ts';
import { expectConverged, type TerminalView } from './convergence.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { waitUntil } from './seeded.ts';
import type { TcpProxy } from './tcp-proxy.ts';

/**
 * The POS's own code (RxDB memory storage, the renderer's cart, checkout, audit and
 * replication with its real fetch and keep-alive connections) through the fault proxy to the
 * server as a child process. One RxDB database per process (RxDB's collection limit), so the
 * multi-terminal scenarios use the simulated terminal instead.
 */
let server: FaultServer;
let proxy: TcpProxy;
let db: EntitleDatabase;
let sync: SyncController | null = null;
/** 5xx answers other than a refusing database's 503, seen by the POS's fetch. */
let serverErrors = 0;
const countingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status >= 500 && response.status !== 503) serverErrors += 1;
  return response;
};

beforeAll(async () => {
  server = await startFaultServer();
  proxy = await server.proxy();
  db = await openTestDatabase();
});

afterAll(async () => {
  await sync?.stop();
  await db.close();
  await server.close();
});

const PRODUCTS = ['prod-gift-25', 'prod-pcr-test', 'prod-winter-gala', 'prod-gift-50'];

async function sell(credentials: TerminalCredentials, n: number): Promise<Sale> {
  const cart = createCartCommands(db);
  for (let i = 0; i <= n % 3; i++) await cart.add(PRODUCTS[(n + i) % PRODUCTS.length] ?? '');
  const sale = await completeCashSale(db, credentials, { tendered: 1_000_000 });
  // As the tender screen does right after the sale is written.
  await recordSaleAudit(db, credentials, sale);
  return sale;
}

async function viewOf(credentials: TerminalCredentials): Promise<TerminalView> {
  const sales = (await db.sales.find().exec()).map((doc) => doc.toMutableJSON());
  const audit = (await db.audit_events.find().exec())
    .map((doc): AuditEvent => doc.toMutableJSON())
    .sort((a, b) => a.seq - b.seq);
  const acks = (await db.sync_acks.find().exec()).map((doc) => doc.toMutableJSON());
  const accepted = new Set(acks.filter((ack) => ack.outcome === 'accepted').map((ack) => ack.id));
  const pulled = new Map(
    (await db.entitlements.find().exec()).map((doc) => [doc.code, doc.toMutableJSON()]),
  );
  return {
    name: 'RxDB till',
    terminalId: credentials.terminalId,
    storeId: credentials.storeId,
    sales,
    audit,
    unsent:
      (await firstValueFrom(pendingCount$(db, credentials.terminalId))) +
      audit.filter((event) => !accepted.has(event.id)).length,
    rejected: acks.filter((ack) => ack.outcome === 'rejected').length,
    serverErrors,
    pulled,
  };
}

it("the POS's own replication through cut connections, refused connections and a SIGKILLed server converges", async () => {
  const credentials = await enrolTerminal({
    serverUrl: proxy.url,
    terminalName: 'RxDB till',
    pairingCode: await server.pairingCode(),
  });
  sync = startSync(db, credentials, { retryMs: 100, fetch: countingFetch });
  await waitUntil(async () => (await db.products.count().exec()) >= 4, 'the catalogue');

  // Every connection the POS opens from now on meets a fault, in this order, then they pass.
  for (const fault of [
    { kind: 'cut-request', afterBytes: 300 },
    { kind: 'cut-response', afterBytes: 120 },
    { kind: 'refuse' },
    { kind: 'cut-request', afterBytes: 900 },
    { kind: 'cut-response', afterBytes: 400 },
    { kind: 'refuse' },
  ] as const) {
    proxy.next(fault);
  }
  proxy.dropAll();
  for (let i = 0; i < 12; i++) await sell(credentials, i);
  sync.syncNow();
  await waitUntil(
    async () => (await viewOf(credentials)).unsent === 0,
    'the sales through the faults',
    { timeoutMs: 30_000, everyMs: 100 },
  );
  const struck = Object.values(proxy.stats.struck).reduce((a, b) => a + b, 0);
  expect(struck).toBeGreaterThanOrEqual(4);

  // The server dies with the till connected; the till sells on and catches up after the restart.
  await server.kill();
  for (let i = 12; i < 18; i++) await sell(credentials, i);
  expect((await viewOf(credentials)).unsent).toBeGreaterThanOrEqual(6);
  await server.start();
  sync.syncNow();
  await waitUntil(async () => (await viewOf(credentials)).unsent === 0, 'the sales after restart', {
    timeoutMs: 30_000,
    everyMs: 100,
  });
  const onServer = await server.db.selectFrom('entitlements').select('code').execute();
  await waitUntil(
    async () => (await db.entitlements.count().exec()) === onServer.length,
    'the statuses of every code',
    { timeoutMs: 30_000, everyMs: 100 },
  );
  const view = await viewOf(credentials);
  expect(view.sales).toHaveLength(18);
  await expectConverged(server.db, [view]);
}, 60_000);
