import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWebPosServer, type WebPosServer } from '../../scripts/web-pos-server.ts';
import { launchChromium, localOnlyContext } from '../kit/browser.ts';
import { buildRendererOnce, serveWebPos } from '../kit/web-pos.ts';
import { CREDENTIALS_KEY } from '../../renderer/platform/browser-bridge.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';

/** A web POS in Chromium with a fresh profile, pointed at a bench server (a demo: it enrols itself). */
export type BrowserTerminal = {
  readonly page: Page;
  readonly context: BrowserContext;
  close(): Promise<void>;
};

export async function openBrowserTerminal(
  serverUrl: string,
  log: (message: string) => void,
): Promise<BrowserTerminal & { readonly pos: WebPosServer; readonly browser: Browser }> {
  // BENCH_RENDERER_DIR serves a POS built elsewhere (e.g. an older commit, for A/B pairs).
  const prebuilt = process.env.BENCH_RENDERER_DIR;
  if (prebuilt === undefined || prebuilt === '') buildRendererOnce(log);
  const pos =
    prebuilt === undefined || prebuilt === ''
      ? await serveWebPos(serverUrl, true)
      : await startWebPosServer({ rendererDir: prebuilt, serverUrl, demo: true });
  const browser = await launchChromium();
  try {
    const context = await localOnlyContext(browser);
    const page = await context.newPage();
    return {
      page,
      context,
      pos,
      browser,
      async close() {
        await browser.close();
        await pos.close();
      },
    };
  } catch (error) {
    await browser.close();
    await pos.close();
    throw error;
  }
}

/**
 * Hands the web POS an enrolment made beforehand (bench/new-terminal/seed.ts, enrolAhead): it is
 * in the page's local storage before the POS starts, so the POS does not enrol itself.
 */
export async function handEnrolment(
  page: Pick<Page, 'addInitScript'>,
  credentials: TerminalCredentials,
): Promise<void> {
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [
    CREDENTIALS_KEY,
    JSON.stringify(credentials),
  ] as const);
}

/**
 * How many documents the POS holds per collection, read from IndexedDB itself (RxDB's Dexie
 * storage keeps one database per collection, `rxdb-dexie-<db>--<version>--<collection>`, with
 * the documents in its `docs` store).
 */
export function localDocumentCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const counts: Record<string, number> = {};
    for (const info of await indexedDB.databases()) {
      const name = info.name ?? '';
      const match = /--(products|entitlements)$/.exec(name);
      if (!match?.[1]) continue;
      const collection = match[1];
      counts[collection] = await new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error ?? new Error(`Cannot open ${name}`));
        open.onsuccess = () => {
          const idb = open.result;
          if (!idb.objectStoreNames.contains('docs')) {
            idb.close();
            resolve(0);
            return;
          }
          const request = idb.transaction('docs', 'readonly').objectStore('docs').count();
          request.onsuccess = () => {
            idb.close();
            resolve(request.result);
          };
          request.onerror = () => {
            idb.close();
            reject(request.error ?? new Error('count failed'));
          };
        };
      });
    }
    return counts;
  });
}

/** Polls every `everyMs` until `done` holds, or throws after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { readonly everyMs: number; readonly timeoutMs: number; readonly what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${String(options.timeoutMs)} ms: ${options.what} (last: ${JSON.stringify(value)})`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.everyMs));
  }
}

/** Signs in as the demo cashier (Alex, 2580) and opens the shift if the till asks for one. */
export async function signInAsCashier(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Alex (cashier)', exact: true }).click();
  await page.getByLabel('PIN', { exact: true }).fill('2580');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'hidden' });
  const gate = page
    .getByTestId('shift-gate')
    .or(page.getByRole('heading', { name: 'Open the shift' }));
  try {
    await gate.first().waitFor({ state: 'visible', timeout: 3_000 });
  } catch {
    return; // a shift is open already
  }
  await page.getByLabel('Float in the drawer').fill('100.00');
  await page.getByRole('button', { name: 'Open shift' }).click();
  await gate.first().waitFor({ state: 'hidden' });
}
