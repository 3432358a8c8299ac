import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codesOfSale, type Sale } from '../../shared/schemas/sale.ts';
import { expectConverged } from './convergence.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { seededRandom } from './seeded.ts';
import { SimTerminal, type SimTerminalOptions } from './sim-terminal.ts';
import type { TcpProxy } from './tcp-proxy.ts';

/**
 * Faults between terminals and the real server (a child process on the engine under test), each
 * injected by a TCP proxy or a signal, each scenario ending with the same convergence check.
 * One server for the file (starting one takes seconds); each scenario has its own terminals and
 * its own proxy, and checks only its own terminals' sales.
 */
let server: FaultServer;
let proxy: TcpProxy;
const random = seededRandom(6);

beforeAll(async () => {
  server = await startFaultServer();
});

beforeEach(async () => {
  proxy = await server.proxy();
});

afterAll(async () => {
  await server.close();
});

async function enrolled(
  name: string,
  options: Partial<SimTerminalOptions> = {},
): Promise<SimTerminal> {
  const terminal = new SimTerminal({
    url: proxy.url,
    pairingCode: await server.pairingCode(),
    name,
    ...options,
  });
  await terminal.enrol();
  return terminal;
}

async function sellMany(terminal: SimTerminal, count: number): Promise<Sale[]> {
  const sales: Sale[] = [];
  for (let i = 0; i < count; i++) sales.push(await terminal.sell(random));
  return sales;
}

async function storedOf(sales: readonly Sale[]): Promise<number> {
  if (sales.length === 0) return 0;
  const rows = await server.db
    .selectFrom('sales')
    .select('id')
    .where(
      'id',
      'in',
      sales.map((sale) => sale.id),
    )
    .execute();
  return rows.length;
}

/** Every stored sale of `sales` has all its codes: nothing is ever half written. */
async function expectNoPartialSales(sales: readonly Sale[]): Promise<void> {
  const rows = await server.db
    .selectFrom('entitlements')
    .select(['code', 'sale_id'])
    .where(
      'sale_id',
      'in',
      sales.map((sale) => sale.id),
    )
    .execute();
  const stored = new Set(rows.map((row) => row.sale_id));
  for (const sale of sales) {
    const codes = rows.filter((row) => row.sale_id === sale.id).map((row) => row.code);
    expect(codes.sort()).toEqual(stored.has(sale.id) ? codesOfSale(sale).sort() : []);
  }
}

describe('faults between terminals and the server', { timeout: 60_000 }, () => {
  it('the server SIGKILLed in the middle of a push batch, then restarted: the batch is retried and each sale stored once', async () => {
    const till = await enrolled('Till K', { batchSize: 100 });
    const batch = await sellMany(till, 100);
    const pushing = till.push('sales', till.nextBatch('sales'));
    const outcome = pushing.then(
      () => 'answered',
      () => 'failed',
    );
    // The server writes a batch in one transaction (sync/push-facts.ts storeBatch), so there is no
    // first stored sale to wait for: the kill lands while the batch is on its way or being written.
    await new Promise((resolve) => setTimeout(resolve, 40));
    await server.kill();
    const storedAtKill = await storedOf(batch);
    // All of the batch or none of it, never a part; and every stored sale whole.
    expect([0, batch.length]).toContain(storedAtKill);
    await expectNoPartialSales(batch);
    if ((await outcome) === 'failed') expect(till.backlog.sales.size).toBe(batch.length);

    await server.start();
    await till.syncUntilDone();
    expect(await storedOf(batch)).toBe(batch.length);
    await expectConverged(server.db, [till.view()]);
  });

  it('connections cut mid-request store nothing; cut mid-response store it all; the retry stores nothing twice', async () => {
    const till = await enrolled('Till C');
    const first = await sellMany(till, 20);
    proxy.next({ kind: 'cut-request', afterBytes: 1500 });
    await expect(till.push('sales', first)).rejects.toThrow();
    expect(proxy.stats.struck['cut-request']).toBe(1);
    expect(await storedOf(first)).toBe(0);
    expect(till.backlog.sales.size).toBe(20);

    proxy.next({ kind: 'cut-response', afterBytes: 40 });
    await expect(till.push('sales', first)).rejects.toThrow();
    expect(proxy.stats.struck['cut-response']).toBe(1);
    expect(await storedOf(first)).toBe(20);
    // The answer never arrived, so the till still holds every sale and sends them again.
    expect(till.backlog.sales.size).toBe(20);

    const again = await till.push('sales', first);
    expect(again.accepted).toHaveLength(20);
    await till.syncUntilDone();
    await expectConverged(server.db, [till.view()]);
  });

  it('answers delayed past the client timeout: the till gives up, retries, and the server keeps one copy', async () => {
    const till = await enrolled('Till T');
    const sales = await sellMany(till, 15);
    proxy.next({ kind: 'hold-response' });
    till.timeoutMs = 1000;
    await expect(till.push('sales', sales)).rejects.toThrow(/abort|timeout/i);
    till.timeoutMs = 15_000;
    expect(till.timeouts).toBe(1);
    expect(proxy.stats.struck['hold-response']).toBe(1);
    expect(await storedOf(sales)).toBe(15);
    // Slow but within the timeout: the answer arrives and counts.
    proxy.next({ kind: 'delay', ms: 100 });
    const slow = await till.push('sales', sales);
    expect(slow.accepted).toHaveLength(15);
    expect(till.backlog.sales.size).toBe(0);
    await till.syncUntilDone();
    await expectConverged(server.db, [till.view()]);
  });

  it('the same batch twice, three times at once, and batches out of order change nothing twice', async () => {
    const till = await enrolled('Till D', { batchSize: 10 });
    await sellMany(till, 30);
    const [one, two, three] = [0, 1, 2].map((skip) => till.nextBatch('sales', skip));
    const [audit1, audit2, audit3] = [0, 1, 2].map((skip) => till.nextBatch('audit', skip));
    // Out of order: the last batch first (sales and their audit events), then the first.
    await till.push('sales', three ?? []);
    await till.push('audit', audit3 ?? []);
    await till.push('audit', audit1 ?? []);
    await till.push('sales', one ?? []);
    const before = await storedOf(till.sales);
    expect(before).toBe(20);
    // Twice in a row, then three copies at once on three connections.
    const repeat = await till.push('sales', one ?? []);
    expect(repeat.accepted).toHaveLength(10);
    const racing = await Promise.all([0, 1, 2].map(() => till.push('sales', two ?? [])));
    for (const answer of racing) expect(answer).toMatchObject({ rejected: [] });
    for (const answer of racing) expect(answer.accepted).toHaveLength(10);
    await Promise.all([0, 1].map(() => till.push('audit', audit2 ?? [])));
    expect(await storedOf(till.sales)).toBe(30);
    await till.syncUntilDone();
    await expectConverged(server.db, [till.view()]);
  });

  it('device clocks a day ahead and a day behind: the server orders by its own sequence and records device time', async () => {
    const day = 24 * 60 * 60 * 1000;
    const ahead = await enrolled('Till +1d', { clockOffsetMs: day });
    const behind = await enrolled('Till -1d', { clockOffsetMs: -day });
    const started = Date.now();
    const first = await ahead.sell(random);
    await ahead.syncUntilDone();
    const second = await behind.sell(random);
    await behind.syncUntilDone();
    const third = await ahead.sell(random);
    await ahead.syncUntilDone();
    await behind.syncUntilDone();

    const rows = await server.db
      .selectFrom('sales')
      .select(['id', 'seq', 'created_at', 'received_at'])
      .where('terminal_id', 'in', [ahead.terminalId, behind.terminalId])
      .orderBy('seq')
      .execute();
    // Arrival order, not device time: the sale "from yesterday" sits between the two from tomorrow.
    expect(rows.map((row) => row.id)).toEqual([first.id, second.id, third.id]);
    expect(rows.map((row) => row.created_at)).toEqual([
      first.createdAt,
      second.createdAt,
      third.createdAt,
    ]);
    expect(Date.parse(first.createdAt) - started).toBeGreaterThan(day - 60_000);
    expect(started - Date.parse(second.createdAt)).toBeGreaterThan(day - 60_000);
    for (const row of rows) {
      expect(Math.abs(Date.parse(row.received_at) - started)).toBeLessThan(60_000);
    }
    await expectConverged(server.db, [ahead.view(), behind.view()]);
  });
});
