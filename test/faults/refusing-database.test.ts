import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { codesOfSale, type Sale } from '../../shared/schemas/sale.ts';
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import type { Db } from '../../sync-server/db/schema.ts';
import { createTestApp } from '../../sync-server/test-support/harness.ts';
import { testEngine } from '../../sync-server/test-support/test-database.ts';
import { expectConverged } from './convergence.ts';
import { startFaultServer } from './fault-server.ts';
import { seededRandom } from './seeded.ts';
import { RequestFailed } from './http-request.ts';
import { SimTerminal } from './sim-terminal.ts';

/**
 * The database refuses writes (issue #6). SQLite: `pragma query_only` on the server's own
 * connection (the server runs in-process for that; as root, a read-only file mode would not
 * stop it). PostgreSQL: the database is made read-only by default and its connections are
 * terminated, so the server (a child process) reconnects into read-only sessions.
 */
type RefusingServer = {
  readonly url: string;
  readonly db: Db;
  pairingCode(): Promise<string>;
  refuseWrites(): Promise<void>;
  allowWrites(): Promise<void>;
  close(): Promise<void>;
};

async function sqliteServer(): Promise<RefusingServer> {
  const test = await createTestApp({ demo: true });
  const url = await test.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    db: test.db,
    pairingCode: () => test.pairingCode(DEMO_STORE.id),
    refuseWrites: async () => {
      await sql`pragma query_only = on`.execute(test.db);
    },
    allowWrites: async () => {
      await sql`pragma query_only = off`.execute(test.db);
    },
    close: () => test.close(),
  };
}

async function postgresServer(): Promise<RefusingServer> {
  const server = await startFaultServer();
  const proxy = await server.proxy();
  return {
    url: proxy.url,
    db: server.db,
    pairingCode: () => server.pairingCode(),
    refuseWrites: () => server.setReadOnly(true),
    allowWrites: () => server.setReadOnly(false),
    close: () => server.close(),
  };
}

let server: RefusingServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

describe('the database refusing writes', { timeout: 60_000 }, () => {
  it('answers 503 with what happens and what to do, writes no partial row, and the till keeps its sales until a later push succeeds', async () => {
    server = testEngine() === 'sqlite' ? await sqliteServer() : await postgresServer();
    const till = new SimTerminal({
      url: server.url,
      pairingCode: await server.pairingCode(),
      name: 'Till R',
      batchSize: 10,
    });
    await till.enrol();
    const random = seededRandom(25006);
    for (let i = 0; i < 5; i++) await till.sell(random);
    await till.syncUntilDone();

    // Writes stop while a push is under way (PostgreSQL: its connections are cut mid-push; the
    // server must survive that and answer, not crash). Each of its sales is stored whole or not.
    for (let i = 0; i < 40; i++) await till.sell(random);
    till.batchSize = 40;
    const underWay = till.push('sales', till.nextBatch('sales')).then(
      (answer) => answer.accepted.length,
      (error: unknown) => (error instanceof RequestFailed ? error.status : -1),
    );
    await server.refuseWrites();
    expect([40, 503]).toContain(await underWay);
    await expectNoPartialSales(server.db, till.sales);
    till.batchSize = 10;
    const before = await counts(server.db);
    const waiting = { sales: till.backlog.sales.size, audit: till.backlog.audit.size };
    const refusal = await till.push('sales', till.nextBatch('sales')).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(RequestFailed);
    const failed = refusal as RequestFailed;
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ error: 'storage_unavailable' });
    expect(JSON.stringify(failed.body)).toMatch(/cannot save right now/);
    expect(JSON.stringify(failed.body)).toMatch(/send them again automatically/);
    const auditRefusal = await till.push('audit', till.nextBatch('audit')).then(
      () => null,
      (error: unknown) => error,
    );
    expect((auditRefusal as RequestFailed | null)?.status).toBe(503);
    expect(await counts(server.db)).toEqual(before);
    // The till still holds everything it could not send.
    expect({ sales: till.backlog.sales.size, audit: till.backlog.audit.size }).toEqual(waiting);
    expect(waiting.audit).toBe(40);

    await server.allowWrites();
    await till.syncUntilDone();
    await expectConverged(server.db, [till.view()]);
  });
});

/** Every sale the server holds has all its codes: a refused or cut push leaves no half sale. */
async function expectNoPartialSales(db: Db, sales: readonly Sale[]): Promise<void> {
  const stored = new Set(
    (await db.selectFrom('sales').select('id').execute()).map((row) => row.id),
  );
  const codes = await db.selectFrom('entitlements').select(['code', 'sale_id']).execute();
  for (const sale of sales) {
    const held = codes.filter((row) => row.sale_id === sale.id).map((row) => row.code);
    expect(held.sort()).toEqual(stored.has(sale.id) ? codesOfSale(sale).sort() : []);
  }
}

async function counts(db: Db): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ['sales', 'entitlements', 'audit_events', 'outbox'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}
