import { readFile, writeFile } from 'node:fs/promises';
import type { CDPSession } from 'playwright-core';
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import { ENGINE_NAMES, startBenchServer, type Engine } from '../kit/engines.ts';
import { rounded } from '../kit/stats.ts';
import type { BenchContext, Figure } from '../kit/types.ts';
import { enrolAhead, openServerDatabase, seedStore } from './seed.ts';
import { handEnrolment, localDocumentCounts, openBrowserTerminal, pollUntil } from './terminal.ts';

export type FirstSyncSizes = { readonly products: number; readonly entitlements: number };

/**
 * Whose codes the seeded statuses are. A till pulls only its own (server migration 0013), so
 * "another till": a new terminal in a busy store, which pulls the catalogue and none of them;
 * "this till": the same terminal, enrolled before the seeding and handed to the POS, pulls them
 * all, as a till pulls its own again after a server restore or an update that dropped them.
 */
export type StatusOwner = 'another till' | 'this till';

export type FirstSyncRun = {
  readonly engine: Engine;
  readonly statusesOf: StatusOwner;
  readonly seedSeconds: number;
  /**
   * From the page's navigation until both collections are complete in IndexedDB (every product,
   * and every status the till pulls) and it is online.
   */
  readonly seconds: number;
  /** When each collection was complete, seconds after navigation. */
  readonly productsAt: number | null;
  readonly entitlementsAt: number | null;
  readonly expected: { readonly products: number; readonly entitlements: number };
  /**
   * CPU seconds spent from navigation to the end: Chromium's processes summed by type (CDP
   * SystemInfo.getProcessInfo: "browser" holds IndexedDB's backing store, "renderer" the POS
   * page) and the server's process (/proc, Linux; null elsewhere). Where the time goes when
   * the two cores are shared.
   */
  readonly cpuSeconds: Readonly<Record<string, number | null>>;
};

/** CPU seconds per Chromium process type, summed over the processes of that type. */
export async function chromiumCpu(session: CDPSession): Promise<Map<string, number>> {
  const info = (await session.send('SystemInfo.getProcessInfo')) as {
    readonly processInfo: readonly { readonly type: string; readonly cpuTime: number }[];
  };
  const byType = new Map<string, number>();
  for (const process of info.processInfo)
    byType.set(process.type, (byType.get(process.type) ?? 0) + process.cpuTime);
  return byType;
}

/** User and system CPU seconds of a process so far (Linux /proc, 100 ticks a second), or null. */
async function processCpu(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The demo store's products, as the server has them before seeding (the demo catalogue). */
async function productCount(engineDb: ReturnType<typeof openServerDatabase>): Promise<number> {
  const row = await engineDb
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('store_id', '=', DEMO_STORE.id)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * A server with `sizes` seeded, then a web POS in a fresh Chromium profile that pulls what it
 * is sent: a new terminal that enrols itself (statuses of another till's codes), or one enrolled
 * just before the seeding (statuses of its own). Timed from navigation until IndexedDB holds
 * every product and every status it pulls, and the status bar says Online.
 */
export async function measureFirstSync(
  ctx: BenchContext,
  engine: Engine,
  sizes: FirstSyncSizes,
  options: {
    readonly env?: Readonly<Record<string, string>>;
    /** Writes the page's CPU profile (CDP Profiler) of the sync to this file. */
    readonly profileTo?: string;
    /** Whose codes the statuses are: the till's own unless said (all of them pulled). */
    readonly statusesOf?: StatusOwner;
  } = {},
): Promise<FirstSyncRun> {
  const statusesOf = options.statusesOf ?? 'this till';
  const server = await startBenchServer({ engine, demo: true, env: options.env ?? {} });
  try {
    ctx.log(
      `first sync on ${ENGINE_NAMES[engine]}: seeding ${String(sizes.products)} products and ${String(sizes.entitlements)} statuses of ${statusesOf}'s codes…`,
    );
    const ahead = statusesOf === 'this till' ? await enrolAhead(server.url) : null;
    const seedStart = performance.now();
    await seedStore(server, sizes, (message) => ctx.log(message), ahead?.owner);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const db = openServerDatabase(server);
    const expected = {
      products: await productCount(db),
      entitlements: ahead === null ? 0 : sizes.entitlements,
    };
    await db.destroy();
    ctx.log(`  seeded in ${rounded(seedSeconds).toString()} s; opening a new terminal…`);

    const terminal = await openBrowserTerminal(server.url, (message) => ctx.log(message));
    try {
      if (ahead !== null) await handEnrolment(terminal.page, ahead.credentials);
      const cdp =
        options.profileTo === undefined
          ? null
          : await terminal.context.newCDPSession(terminal.page);
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      const system = await terminal.browser.newBrowserCDPSession();
      const chromiumBefore = await chromiumCpu(system);
      const serverBefore = await processCpu(server.pid);
      const start = performance.now();
      let productsAt: number | null = null;
      let entitlementsAt: number | null = null;
      let lastLog = start;
      await terminal.page.goto(terminal.pos.url);
      await pollUntil(
        async () => {
          const counts = await localDocumentCounts(terminal.page);
          const elapsed = (performance.now() - start) / 1000;
          const products = counts.products ?? 0;
          const entitlements = counts.entitlements ?? 0;
          if (productsAt === null && products >= expected.products) productsAt = elapsed;
          if (
            entitlementsAt === null &&
            expected.entitlements > 0 &&
            entitlements >= expected.entitlements
          )
            entitlementsAt = elapsed;
          if (performance.now() - lastLog > 5000) {
            lastLog = performance.now();
            ctx.log(
              `  ${rounded(elapsed).toString()} s: ${String(products)} products, ${String(entitlements)} statuses`,
            );
          }
          const online = await terminal.page.evaluate(
            () => document.querySelector('[data-testid="online-status"]')?.textContent === 'Online',
          );
          return { products, entitlements, online };
        },
        (state) =>
          state.online &&
          state.products >= expected.products &&
          state.entitlements >= expected.entitlements,
        { everyMs: 100, timeoutMs: 300_000, what: 'the new terminal to pull everything' },
      );
      const seconds = (performance.now() - start) / 1000;
      // A till holds no status of another till's codes: the server never sends one.
      const held = (await localDocumentCounts(terminal.page)).entitlements ?? 0;
      if (held !== expected.entitlements)
        throw new Error(
          `The till holds ${String(held)} statuses; ${String(expected.entitlements)} are its own.`,
        );
      const chromiumAfter = await chromiumCpu(system);
      const serverAfter = await processCpu(server.pid);
      const cpuSeconds: Record<string, number | null> = {
        server:
          serverBefore === null || serverAfter === null
            ? null
            : rounded(serverAfter - serverBefore),
      };
      for (const [type, after] of chromiumAfter)
        cpuSeconds[type] = rounded(after - (chromiumBefore.get(type) ?? 0));
      if (cdp && options.profileTo !== undefined) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(options.profileTo, JSON.stringify(profile));
      }
      ctx.log(
        `  synced in ${rounded(seconds).toString()} s; CPU seconds ${JSON.stringify(cpuSeconds)}`,
      );
      return {
        engine,
        statusesOf,
        seedSeconds,
        seconds,
        productsAt,
        entitlementsAt,
        expected,
        cpuSeconds,
      };
    } finally {
      await terminal.close();
    }
  } finally {
    await server.stop();
  }
}

export function firstSyncFigure(run: FirstSyncRun, sizes: FirstSyncSizes): Figure {
  const products = sizes.products.toLocaleString('en');
  const statuses = sizes.entitlements.toLocaleString('en');
  if (run.statusesOf === 'another till') {
    return {
      label: `${ENGINE_NAMES[run.engine]}, new terminal: ${products} products (${statuses} statuses of another till's codes, not pulled)`,
      value: rounded(run.seconds),
      unit: 's',
    };
  }
  return {
    label: `${ENGINE_NAMES[run.engine]}, ${products} products + ${statuses} statuses of its own codes`,
    value: rounded(run.seconds),
    unit: 's',
    target: { op: '<', value: 10 },
  };
}
