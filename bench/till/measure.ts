import type { Page } from 'playwright-core';

/**
 * Timings taken inside the page (performance.now()), so Playwright's round trips to the browser
 * are not counted: the click is dispatched by page script and the end is seen by a
 * MutationObserver in the same page.
 */

/** A product tile of the sell screen: what "the sell screen is usable" waits for. */
export const PRODUCT_TILE = 'button.product-tile';

/** Fills the cart with one product, opens the payment screen and types the cash received. */
async function readyToComplete(page: Page): Promise<void> {
  await page.locator(PRODUCT_TILE).first().click();
  await page.getByRole('button', { name: /^Charge/ }).click();
  await page.getByLabel('Cash received').fill('1000');
  await page.getByRole('button', { name: 'Complete sale' }).waitFor();
}

/** One checkout's two times, from the click on "Complete sale". */
export type CheckoutTimes = {
  /** Until the receipt's code cards are in the DOM (React has committed them). */
  readonly cardsMs: number;
  /**
   * Until the frame showing them has been painted: the next animation frame and a task posted
   * from it (Chromium runs that task once the frame is produced). Includes the wait for the
   * display's next frame, 0–16.7 ms at 60 Hz, as the search benchmark's painted figure does.
   */
  readonly paintedMs: number;
};

/**
 * One cash sale: from "Complete sale" being clicked until the receipt's code cards are in the
 * DOM, and until they are painted; then back to the sell screen.
 */
export async function timeCheckoutToPaint(
  page: Page,
  /** Run just before the click and just after the code cards were painted (e.g. a CPU profile). */
  around: {
    readonly beforeClick?: () => Promise<void>;
    readonly afterCards?: () => Promise<void>;
  } = {},
): Promise<CheckoutTimes> {
  await readyToComplete(page);
  await around.beforeClick?.();
  const times = await page.evaluate(
    () =>
      new Promise<CheckoutTimes>((resolve, reject) => {
        const complete = [...document.querySelectorAll('button')].find(
          (button) => button.textContent.trim() === 'Complete sale',
        );
        if (complete === undefined) {
          reject(new Error('No "Complete sale" button.'));
          return;
        }
        let start = 0;
        const done = () => {
          if (document.querySelector('[data-testid="code-card"]') === null) return;
          observer.disconnect();
          const cardsMs = performance.now() - start;
          requestAnimationFrame(() => {
            setTimeout(() => {
              resolve({ cardsMs, paintedMs: performance.now() - start });
            }, 0);
          });
        };
        const observer = new MutationObserver(done);
        observer.observe(document.body, { childList: true, subtree: true });
        start = performance.now();
        complete.click();
      }),
  );
  await around.afterCards?.();
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.locator(PRODUCT_TILE).first().waitFor();
  return times;
}

/** timeCheckoutToPaint's time until the code cards are in the DOM: the benchmark's figure. */
export async function timeCheckout(
  page: Page,
  around: Parameters<typeof timeCheckoutToPaint>[1] = {},
): Promise<number> {
  return (await timeCheckoutToPaint(page, around)).cardsMs;
}

/**
 * The physical floor: the same sale document put into an IndexedDB database of its own in the
 * same page, each write awaited until its transaction completes, with the `strict` durability the
 * POS asks for (renderer/data/pos-storage.ts): what a write that survives a power cut costs.
 */
export async function timeRawPuts(page: Page, saleJson: string, count: number): Promise<number[]> {
  return page.evaluate(
    async ({ json, n }) => {
      const name = `bench-floor-${String(Date.now())}`;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () =>
          request.result.createObjectStore('sales', { keyPath: 'id' });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const samples: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const doc = { ...(JSON.parse(json) as object), id: crypto.randomUUID() };
        const start = performance.now();
        await new Promise<void>((resolve, reject) => {
          const transaction = db.transaction('sales', 'readwrite', { durability: 'strict' });
          transaction.objectStore('sales').put(doc);
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error ?? new Error('put failed'));
        });
        samples.push(performance.now() - start);
      }
      db.close();
      indexedDB.deleteDatabase(name);
      return samples;
    },
    { json: saleJson, n: count },
  );
}

/**
 * tsx compiles the functions handed to page.evaluate with esbuild's keepNames, which wraps
 * named inner functions in `__name(...)`: the page needs that helper too.
 */
const NAME_HELPER = 'globalThis.__name ??= (fn) => fn;';

/**
 * Records, in every page of the context, when the sell screen became usable (a product tile is in
 * the DOM: React attaches its click handling at the root, so a rendered tile takes a click) and
 * when the sign-in screen showed, as milliseconds since the navigation started.
 */
export const READY_SCRIPT = `${NAME_HELPER}
(() => {
  const marks = { ready: null, signIn: null };
  window.__startup = marks;
  const observer = new MutationObserver(() => {
    if (marks.signIn === null && [...document.querySelectorAll('h1,h2')].some((h) => h.textContent.trim() === 'Sign in')) {
      marks.signIn = performance.now();
    }
    if (document.querySelector('${PRODUCT_TILE}') !== null) {
      marks.ready = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

export type StartupMarks = { ready: number | null; signIn: number | null };

export async function startupMarks(page: Page, until: keyof StartupMarks): Promise<StartupMarks> {
  await page.waitForFunction(
    (key) => (window as unknown as { __startup?: StartupMarks }).__startup?.[key] != null,
    until,
    { timeout: 120_000 },
  );
  return page.evaluate(() => (window as unknown as { __startup: StartupMarks }).__startup);
}

/** The page's JS heap after a forced garbage collection (CDP Runtime.getHeapUsage), in MB. */
export async function heapUsedMegabytes(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
    const usage = await session.send('Runtime.getHeapUsage');
    return usage.usedSize / (1024 * 1024);
  } finally {
    await session.detach();
  }
}

/**
 * The newest sale as RxDB stored it in the POS's IndexedDB (Dexie's `docs` table of the sales
 * collection): the document the floor writes again, byte for byte.
 */
export async function storedSaleJson(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const found = (await indexedDB.databases()).find(
      (info) => info.name?.startsWith('rxdb-dexie-entitle-pos--') && info.name.endsWith('--sales'),
    );
    if (found?.name === undefined) throw new Error('The POS has no sales database yet.');
    const name = found.name;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    try {
      const doc = await new Promise<unknown>((resolve, reject) => {
        const request = db.transaction('docs').objectStore('docs').openCursor(null, 'prev');
        request.onsuccess = () => resolve(request.result?.value);
        request.onerror = () => reject(request.error ?? new Error('read failed'));
      });
      if (doc === undefined) throw new Error('The POS has no sale stored yet.');
      return JSON.stringify(doc);
    } finally {
      db.close();
    }
  });
}
