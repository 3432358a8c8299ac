import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { filter, firstValueFrom } from 'rxjs';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { recordSaleAudit } from '../../renderer/audit/sale-audit.ts';
import { completeCashSale } from '../../renderer/checkout/complete-sale.ts';
import { openEntitleDatabase, type EntitleDatabase } from '../../renderer/data/database.ts';
import { enrolTerminal } from '../../renderer/enrol/enrol.ts';
import { createCartCommands } from '../../renderer/sell/cart.ts';
import { startSync } from '../../renderer/sync/replication.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { startBenchServer, type BenchServer, type Engine } from '../kit/engines.ts';
import { PLAN_PRODUCTS, type PlannedSale } from './sales-plan.ts';

export type OurPush = {
  readonly engine: Engine;
  /** From starting replication until the server has answered for the last sale. */
  readonly salesSeconds: number;
  /** Until the audit events of those sales were acknowledged too (pushed alongside). */
  readonly allFactsSeconds: number;
  /** Selling the plan offline through the POS's checkout (not timed in the figure). */
  readonly sellSeconds: number;
  readonly onServer: { readonly sales: number; readonly codes: number; readonly audit: number };
  readonly rejected: number;
  readonly auditEvents: number;
  /** [seconds since the push started, sales not yet answered], about once a second. */
  readonly progress: readonly (readonly [number, number])[];
  /** The push on the machine's monotonic clock in microseconds (as V8's CPU profiles count). */
  readonly pushWindow: readonly [number, number];
  /** The sales exactly as the till stored them (the PouchDB baseline replicates these). */
  readonly sales: readonly Sale[];
};

/**
 * The POS's own code in Node: RxDB memory storage without dev-mode or validation (as the
 * renderer runs Dexie in production), the demo terminal enrolled, the catalogue pulled, then the
 * plan sold offline with the renderer's cart, checkout and audit, and replicated with
 * startSync. One RxDB database at a time in a process (RxDB's collection limit): removed at the
 * end.
 */
export async function runOurPush(options: {
  readonly engine: Engine;
  readonly plan: readonly PlannedSale[];
  readonly log: (message: string) => void;
  readonly serverEnv?: Readonly<Record<string, string>>;
  /** Run right before replication starts and right after the last answer (a profiler). */
  readonly aroundPush?: {
    readonly before: (server: BenchServer) => Promise<void>;
    readonly after: (server: BenchServer) => Promise<void>;
  };
}): Promise<OurPush> {
  const { engine, plan, log } = options;
  const server = await startBenchServer({
    engine,
    demo: true,
    ...(options.serverEnv ? { env: options.serverEnv } : {}),
  });
  let db: EntitleDatabase | undefined;
  try {
    db = await openEntitleDatabase({
      name: `bench-push-${engine}-${String(Date.now())}`,
      storage: getRxStorageMemory(),
    });
    const credentials = await enrolTerminal({
      serverUrl: server.url,
      terminalName: `Bench till ${engine}`,
      pairingCode: null,
    });
    await pullCatalogue(db, credentials);

    const sellStart = performance.now();
    const sales = await sellOffline(db, credentials, plan, log);
    const sellSeconds = (performance.now() - sellStart) / 1000;
    const auditEvents = await db.audit_events.count().exec();
    log(`  ${engine}: ${String(sales.length)} sales sold offline in ${sellSeconds.toFixed(1)} s`);

    await options.aroundPush?.before(server);
    const pushStart = monotonicMicros();
    const pushed = await pushAll(db, credentials, sales, auditEvents);
    const pushWindow = [pushStart, monotonicMicros()] as const;
    await options.aroundPush?.after(server);
    const rejected = await db.sync_acks.count({ selector: { outcome: 'rejected' } }).exec();
    const onServer = await countOnServer(server);
    log(
      `  ${engine}: pushed in ${pushed.salesSeconds.toFixed(2)} s (audit ${pushed.allFactsSeconds.toFixed(2)} s); server holds ${String(onServer.sales)} sales`,
    );
    return { engine, sellSeconds, ...pushed, pushWindow, onServer, rejected, auditEvents, sales };
  } finally {
    await db?.remove();
    await server.stop();
  }
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Online once: the catalogue the counter sells from. Then the till goes offline. */
async function pullCatalogue(db: EntitleDatabase, credentials: TerminalCredentials) {
  const sync = startSync(db, credentials, { retryMs: 200 });
  try {
    await firstValueFrom(
      db.products
        .count({ selector: { id: { $in: [...PLAN_PRODUCTS] } } })
        .$.pipe(filter((count) => count === PLAN_PRODUCTS.length)),
    );
    await sync.awaitInSync();
  } finally {
    await sync.stop();
  }
}

async function sellOffline(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  plan: readonly PlannedSale[],
  log: (message: string) => void,
): Promise<Sale[]> {
  const cart = createCartCommands(db);
  const sales: Sale[] = [];
  // The plan's ids in order. A checkout takes its sale's id from the cart, which was given it
  // when the previous sale emptied the cart (complete-sale.ts): the ids are handed out one after
  // the other, never per sale (that gave the next sale the previous one's id).
  const ids = plan.map((planned) => planned.id)[Symbol.iterator]();
  const newId = (): string => {
    const next = ids.next();
    return next.done === true ? crypto.randomUUID() : next.value;
  };
  for (const [index, planned] of plan.entries()) {
    for (const line of planned.lines) await cart.add(line.productId, line.quantity);
    const sale = await completeCashSale(
      db,
      credentials,
      { tendered: 10_000_000 },
      { now: () => new Date(), newId },
    );
    // As the tender screen does right after the sale is written.
    await recordSaleAudit(db, credentials, sale);
    sales.push(sale);
    if ((index + 1) % 1000 === 0) log(`  sold ${String(index + 1)} of ${String(plan.length)}`);
  }
  return sales;
}

/**
 * Starts the POS's replication and times it until the server has answered for every sale (and
 * then for every audit event). Not the POS's pending count: it combines separate count queries
 * and passes through 0 for a moment when an audit batch is answered before the last sales batch
 * (seen: 0 pending while 50 sales were still in flight). The answers are counted from sync_acks'
 * own write events, by distinct id: the audit events' ids are `<terminalId>_<seq>`, the sales' ids
 * are hex UUIDs, which sort before `term_` (checked). A count query re-run on every write of
 * sync_acks cost the POS process as much as the replication it measures (a third of its CPU in
 * the profile, growing with the acks stored).
 */
async function pushAll(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  sales: readonly Sale[],
  auditEvents: number,
): Promise<{ salesSeconds: number; allFactsSeconds: number; progress: [number, number][] }> {
  const auditPrefix = `${credentials.terminalId}_`;
  if (sales.some((sale) => sale.id >= auditPrefix)) {
    throw new Error(`A sale id sorts after ${auditPrefix}: the acknowledgement count would mix.`);
  }
  const start = performance.now();
  const salesAnswered = new Set<string>();
  const auditAnswered = new Set<string>();
  const answeredAt: { sales: number | null; audit: number | null } = {
    sales: null,
    audit: auditEvents === 0 ? start : null,
  };
  let finished: () => void = () => undefined;
  const allAnswered = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // Seconds and sales still unanswered, about once a second: shows whether the rate holds up as
  // the server's store grows during the push.
  const progress: [number, number][] = [[0, sales.length]];
  const watch = db.sync_acks.eventBulks$.subscribe((bulk) => {
    for (const event of bulk.events) {
      const id = event.documentId;
      if (id < auditPrefix) salesAnswered.add(id);
      else if (id.startsWith(auditPrefix)) auditAnswered.add(id);
    }
    const at = performance.now();
    const pending = sales.length - salesAnswered.size;
    const last = progress.at(-1);
    if (last === undefined || (at - start) / 1000 - last[0] >= 1 || pending === 0)
      progress.push([Math.round((at - start) / 100) / 10, pending]);
    if (answeredAt.sales === null && pending <= 0) answeredAt.sales = at;
    if (answeredAt.audit === null && auditAnswered.size >= auditEvents) answeredAt.audit = at;
    if (answeredAt.sales !== null && answeredAt.audit !== null) finished();
  });
  const sync = startSync(db, credentials, { retryMs: 200 });
  try {
    await allAnswered;
    const salesEnd = answeredAt.sales ?? Number.NaN;
    const auditEnd = answeredAt.audit ?? Number.NaN;
    return {
      salesSeconds: (salesEnd - start) / 1000,
      allFactsSeconds: (Math.max(salesEnd, auditEnd) - start) / 1000,
      progress,
    };
  } finally {
    watch.unsubscribe();
    await sync.stop();
  }
}

/** What the server stored, read from its database: a push that stores nothing must not count. */
export async function countOnServer(
  server: BenchServer,
): Promise<{ sales: number; codes: number; audit: number }> {
  const queries = {
    sales: 'SELECT count(*) AS n FROM sales',
    codes: 'SELECT count(*) AS n FROM entitlements',
    audit: 'SELECT count(*) AS n FROM audit_events',
  } as const;
  if (server.databaseUrl === undefined) {
    const sqlite = new Database(path.join(server.dataDir, 'entitle.sqlite'), { readonly: true });
    try {
      const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
      return {
        sales: count(queries.sales),
        codes: count(queries.codes),
        audit: count(queries.audit),
      };
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    const count = async (sql: string) =>
      Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? Number.NaN);
    return {
      sales: await count(queries.sales),
      codes: await count(queries.codes),
      audit: await count(queries.audit),
    };
  } finally {
    await client.end();
  }
}
