import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../test/support/chromium.ts';
import { startBenchServer, type BenchServer } from '../kit/engines.ts';
import type { BenchContext } from '../kit/types.ts';
import { buildRendererOnce, serveWebPos } from '../kit/web-pos.ts';
import { startWebPosServer, type WebPosServer } from '../../scripts/web-pos-server.ts';
import { PRODUCT_TILE, READY_SCRIPT } from './measure.ts';
import type { SeedProgress } from './seed-entry.ts';

/** The demo cashier (sync-server/staff/demo-staff.ts). */
const CASHIER = { name: 'Alex (cashier)', pin: '2580' } as const;

/**
 * The built web POS in Chromium against a real sync server (SQLite, demo shop), in a persistent
 * browser profile: its IndexedDB survives reloads and a browser restart, so one seeded store
 * serves the checkout, memory and start-up figures.
 */
export type TillLab = {
  readonly page: Page;
  readonly posUrl: string;
  /** The browser profile's directory (its IndexedDB's LevelDB logs: bench/till/leveldb-log.ts). */
  readonly profileDir: string;
  /** Past sales written into the POS's store by `seed` so far. */
  readonly stored: number;
  /** The JSON of one real seeded sale (the floor writes the same document). */
  readonly saleJson: string | null;
  seed(count: number): Promise<void>;
  /** Loads the POS (or reloads it) and waits until a product can be added to the cart. */
  openSellScreen(): Promise<void>;
  /** Closes the browser and opens the same profile again in a new tab (a cold start). */
  restartBrowser(): Promise<void>;
  close(): Promise<void>;
};

/** True once the POS's `entitlements` store holds a document (a status pulled from the server). */
const ENTITLEMENTS_PULLED = `(async () => {
  const found = (await indexedDB.databases()).find((info) => /^rxdb-dexie-entitle-pos--\\d+--entitlements$/.test(info.name ?? ''));
  if (!found) return false;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(found.name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise((resolve) => {
      const request = db.transaction('docs').objectStore('docs').count();
      request.onsuccess = () => resolve(request.result > 0);
      request.onerror = () => resolve(false);
    });
  } finally {
    db.close();
  }
})()`;

async function seedBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join('bench', 'till', 'seed-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no seed bundle.');
  return file.text;
}

async function launch(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 800 },
  });
  // As localOnlyContext: nothing outside localhost (RxDB's dev-mode iframe would add noise).
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => route.abort(),
  );
  await context.addInitScript(READY_SCRIPT);
  return context;
}

/** `rendererDir`: serve that build instead of building dist/renderer (an unminified profile build). */
export async function openTillLab(
  ctx: BenchContext,
  options: { readonly rendererDir?: string } = {},
): Promise<TillLab> {
  if (options.rendererDir === undefined) {
    buildRendererOnce((message) => {
      ctx.log(message);
    });
  }
  const bundle = await seedBundle();
  const profile = await mkdtemp(path.join(tmpdir(), 'entitle-bench-till-'));
  let server: BenchServer | undefined;
  let pos: WebPosServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startBenchServer({ engine: 'sqlite' });
    pos =
      options.rendererDir === undefined
        ? await serveWebPos(server.url)
        : await startWebPosServer({
            rendererDir: options.rendererDir,
            serverUrl: server.url,
            demo: true,
          });
    const posUrl = pos.url;
    const serveSeed = async (target: BrowserContext) => {
      await target.route(`${posUrl}__bench/seed.html*`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><title>seed</title><script type="module" src="seed.js"></script>',
        }),
      );
      await target.route(`${posUrl}__bench/seed.js`, (route) =>
        route.fulfill({ contentType: 'text/javascript', body: bundle }),
      );
    };
    context = await launch(profile);
    await serveSeed(context);
    let page = context.pages()[0] ?? (await context.newPage());
    let stored = 0;
    let saleJson: string | null = null;
    const current = { context };

    const openSellScreen = async () => {
      await page.goto(posUrl);
      // The tab's sign-in survives in sessionStorage (the sign-in screen may flash meanwhile).
      const tile = page.locator(PRODUCT_TILE).first();
      try {
        await tile.waitFor({ timeout: 60_000 });
      } catch (error) {
        if (!(await page.getByRole('heading', { name: 'Sign in' }).isVisible())) throw error;
        await signInAsCashier(page);
      }
    };

    // First start: the demo terminal enrols itself and pulls the catalogue and the staff.
    await page.goto(posUrl);
    await page.getByTestId('online-status').getByText('Online').waitFor({ timeout: 60_000 });
    await signInAsCashier(page);
    await page.locator(PRODUCT_TILE).first().waitFor();

    return {
      get page() {
        return page;
      },
      posUrl,
      profileDir: profile,
      get stored() {
        return stored;
      },
      get saleJson() {
        return saleJson;
      },
      async seed(count) {
        const started = performance.now();
        // The pull replications' upstream checkpoint must lie after the seeded history (as on a
        // till whose statuses all came from the server): wait until a status has been pulled.
        await page.waitForFunction(ENTITLEMENTS_PULLED, undefined, { timeout: 60_000 });
        await page.goto(`${posUrl}__bench/seed.html?count=${String(count)}`);
        let last = -1;
        for (;;) {
          const state = await page.evaluate(
            () => (window as unknown as { __seed?: SeedProgress }).__seed ?? null,
          );
          if (state?.error) throw new Error(`Seeding failed: ${state.error}`);
          if (state?.done) {
            saleJson ??= state.saleJson;
            const spent = Object.entries(state.spent).map(
              ([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`,
            );
            ctx.log(`  seeding took: ${spent.join(', ')}`);
            break;
          }
          const step = Math.floor((state?.written ?? 0) / 10_000);
          if (state && step !== last && state.written > 0) {
            last = step;
            ctx.log(`  seeded ${String(stored + state.written)} past sales (${state.phase})`);
          }
          await page.waitForTimeout(250);
        }
        stored += count;
        ctx.log(
          `  ${String(stored)} past sales stored (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
        await openSellScreen();
        // The history is synced: only this run's own checkouts may wait to sync.
        const pending = await page.getByTestId('pending-count').getAttribute('data-count');
        ctx.log(`  waiting to sync after seeding: ${pending ?? '?'}`);
      },
      openSellScreen,
      async restartBrowser() {
        await current.context.close();
        current.context = await launch(profile);
        context = current.context;
        await serveSeed(current.context);
        page = await current.context.newPage();
      },
      async close() {
        await current.context.close().catch(() => undefined);
        await pos?.close();
        await server?.stop();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await pos?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** The sign-in screen: the cashier's tile, the PIN, and the shift gate if it asks. */
export async function signInAsCashier(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('button', { name: CASHIER.name, exact: true }).click();
  await page.getByLabel('PIN', { exact: true }).fill(CASHIER.pin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'hidden' });
  const gate = page.getByRole('heading', { name: 'Open the shift' });
  const tile = page.locator(PRODUCT_TILE).first();
  await gate.or(tile).first().waitFor({ timeout: 30_000 });
  if (await gate.isVisible()) {
    await page.getByLabel('Float in the drawer').fill('100.00');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await gate.waitFor({ state: 'hidden' });
  }
}
