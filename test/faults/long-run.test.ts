import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectConverged, measureConvergence } from './convergence.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { seededRandom } from './seeded.ts';
import { SimTerminal } from './sim-terminal.ts';
import type { ProxyFault, ProxyFaultKind, TcpProxy } from './tcp-proxy.ts';

/**
 * The long mixed run (issue #6): several terminals selling thousands of sales while a seeded
 * schedule injects faults of every kind the scenarios cover (connections cut mid-request and
 * mid-response, answers held past the client's timeout, refused and black-holed connections,
 * slow links, batches delivered twice and out of order, the server SIGKILLed and restarted, and on
 * PostgreSQL the database refusing writes for a moment), and
 * terminals whose clocks are a day ahead and a day behind. Then: nothing lost, nothing doubled,
 * no code twice, every audit chain verified. SEED replays a schedule.
 */
const SEED = Number(process.env.ENTITLE_LONG_RUN_SEED ?? 20261127);
const TERMINALS = 4;
const MIN_SALES = 2000;
const MIN_FAULTS = 100;
const MIN_KILLS = 3;
const DAY = 24 * 60 * 60 * 1000;
const CLOCKS = [DAY, -DAY, 0, 3 * 60 * 1000];

/** Weighted: a held or black-holed connection costs the client its whole timeout. */
const FAULT_WEIGHTS = {
  'cut-request': 4,
  'cut-response': 4,
  refuse: 3,
  delay: 3,
  'hold-response': 1,
  blackhole: 1,
} as const;
type DrawnFault = keyof typeof FAULT_WEIGHTS;
const FAULT_POOL: readonly DrawnFault[] = (
  Object.entries(FAULT_WEIGHTS) as [DrawnFault, number][]
).flatMap(([kind, weight]) => Array.from({ length: weight }, () => kind));

type FaultKind = ProxyFaultKind | 'duplicate' | 'out-of-order' | 'sigkill' | 'read-only';

let server: FaultServer;
const terminals: { till: SimTerminal; proxy: TcpProxy }[] = [];

beforeAll(async () => {
  server = await startFaultServer();
  for (let i = 0; i < TERMINALS; i++) {
    const proxy = await server.proxy();
    const till = new SimTerminal({
      url: proxy.url,
      pairingCode: await server.pairingCode(),
      name: `Till ${String(i + 1)}`,
      clockOffsetMs: CLOCKS[i % CLOCKS.length] ?? 0,
      timeoutMs: 1500,
      batchSize: 25,
    });
    await till.enrol();
    terminals.push({ till, proxy });
  }
}, 60_000);

afterAll(async () => {
  await server.close();
});

it('several terminals, thousands of sales, a hundred and more faults: nothing lost, nothing doubled', async () => {
  const started = Date.now();
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const injected: Record<string, number> = {};
  const count = (kind: FaultKind) => (injected[kind] = (injected[kind] ?? 0) + 1);
  const proxyFault = (): ProxyFault => {
    const kind = pick(FAULT_POOL);
    if (kind === 'cut-request') return { kind, afterBytes: between(40, 1500) };
    if (kind === 'cut-response') return { kind, afterBytes: between(10, 400) };
    if (kind === 'delay') return { kind, ms: between(10, 120) };
    return { kind };
  };
  const totalSales = () => terminals.reduce((sum, { till }) => sum + till.sales.length, 0);
  const struck = () =>
    terminals.reduce(
      (sum, { proxy }) => sum + Object.values(proxy.stats.struck).reduce((a, b) => a + b, 0),
      0,
    );
  const faults = () =>
    struck() +
    (injected.duplicate ?? 0) +
    (injected['out-of-order'] ?? 0) +
    (injected['read-only'] ?? 0) +
    server.kills;

  const phase = { sell: 0, sync: 0 };
  let round = 0;
  while (totalSales() < MIN_SALES || faults() < MIN_FAULTS || server.kills < MIN_KILLS) {
    round += 1;
    let mark = Date.now();
    for (const { till } of terminals) {
      const sales = between(5, 40);
      for (let i = 0; i < sales; i++) await till.sell(random, 2);
    }
    phase.sell += Date.now() - mark;
    // Out of order: a terminal sends the later half of what it holds before the earlier half.
    const early = pick(terminals).till;
    if (early.backlog.sales.size >= 10 && random() < 0.6) {
      const laterHalf = (collection: 'sales' | 'audit') => {
        const waiting = [...early.backlog[collection].values()];
        return waiting.slice(Math.ceil(waiting.length / 2));
      };
      try {
        await early.push('sales', laterHalf('sales'));
        await early.push('audit', laterHalf('audit'));
        count('out-of-order');
      } catch {
        // A proxy fault struck it: the batch stays in the backlog, as on a real till.
      }
    }
    for (const { proxy } of terminals) {
      for (let i = between(0, 2); i > 0; i--) proxy.next(proxyFault());
    }
    mark = Date.now();
    const syncing = Promise.all(
      terminals.map(({ till }) => till.syncUntilDone({ retryMs: 40, maxFailures: 2000 })),
    );
    const kill = server.kills < MIN_KILLS && (round % 4 === 2 || random() < 0.05);
    if (kill) {
      await new Promise((resolve) => setTimeout(resolve, between(0, 150)));
      await server.kill();
      await server.start();
    }
    // PostgreSQL: the database refuses writes for a moment while the terminals push.
    if (!kill && server.engine === 'postgres' && round % 5 === 3) {
      await new Promise((resolve) => setTimeout(resolve, between(0, 100)));
      await server.setReadOnly(true);
      await new Promise((resolve) => setTimeout(resolve, between(200, 400)));
      await server.setReadOnly(false);
      count('read-only');
    }
    await syncing;
    phase.sync += Date.now() - mark;
    // The same batch again, sometimes twice at once, after its answer arrived.
    if (random() < 0.7) {
      const { till } = pick(terminals);
      const from = between(0, Math.max(0, till.sales.length - 20));
      const batch = till.sales.slice(from, from + between(1, 50));
      const copies = random() < 0.5 ? 2 : 1;
      try {
        const answers = await Promise.all(
          Array.from({ length: copies }, () => till.push('sales', batch)),
        );
        for (const answer of answers) expect(answer.accepted).toHaveLength(batch.length);
        count('duplicate');
      } catch (error) {
        if (error instanceof Error && error.name === 'AssertionError') throw error;
      }
    }
  }

  for (const { proxy } of terminals) proxy.clearQueued();
  // Everyone pushes what is left, then everyone pulls what the others pushed.
  await Promise.all(terminals.map(({ till }) => till.syncUntilDone({ retryMs: 40 })));
  await Promise.all(terminals.map(({ till }) => till.syncUntilDone({ retryMs: 40 })));

  const views = terminals.map(({ till }) => till.view());
  const result = await measureConvergence(server.db, views);
  const byKind: Record<string, number> = { ...injected, sigkill: server.kills };
  for (const { proxy } of terminals) {
    for (const [kind, n] of Object.entries(proxy.stats.struck)) {
      if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    engine: server.engine,
    seed: SEED,
    terminals: result.terminals,
    sales: result.sales,
    codes: result.codes,
    rounds: round,
    faults: faults(),
    faultsByKind: byKind,
    lost: result.lost,
    doubled: result.doubled,
    duplicateCodes: result.duplicateCodes,
    missingCodes: result.missingCodes,
    auditChainsVerified: result.terminals - result.brokenChains,
    clientTimeouts: terminals.reduce((sum, { till }) => sum + till.timeouts, 0),
    answered503: terminals.reduce((sum, { till }) => sum + till.unavailable, 0),
    otherServerErrors: terminals.reduce((sum, { till }) => sum + till.serverErrors, 0),
    seconds,
    sellSeconds: phase.sell / 1000,
    syncSeconds: phase.sync / 1000,
  };
  const kinds = Object.entries(byKind)
    .map(([kind, n]) => `${kind} ${String(n)}`)
    .join(', ');
  console.log(
    `long run (${server.engine}): ${String(summary.terminals)} terminals, ${String(summary.sales)} sales (${String(summary.codes)} codes), ${String(summary.faults)} faults (${kinds}), lost ${String(summary.lost)}, doubled ${String(summary.doubled)}, duplicate codes ${String(summary.duplicateCodes)}, audit chains verified ${String(summary.auditChainsVerified)}/${String(summary.terminals)}, ${seconds.toFixed(1)} s`,
  );
  await mkdir('test-results', { recursive: true });
  await writeFile(
    `test-results/long-run-${server.engine}.json`,
    `${JSON.stringify(summary, null, 2)}\n`,
  );

  expect(summary.sales).toBeGreaterThanOrEqual(MIN_SALES);
  expect(summary.faults).toBeGreaterThanOrEqual(MIN_FAULTS);
  expect(server.kills).toBeGreaterThanOrEqual(MIN_KILLS);
  expect(summary.otherServerErrors).toBe(0);
  await expectConverged(server.db, views);
}, 240_000);
