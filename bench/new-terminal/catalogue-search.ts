import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startBenchServer, type BenchServer } from '../kit/engines.ts';
import { rounded, summarize, type Summary } from '../kit/stats.ts';
import type { BenchContext } from '../kit/types.ts';
import { seedStore } from './seed.ts';
import {
  localDocumentCounts,
  openBrowserTerminal,
  pollUntil,
  signInAsCashier,
} from './terminal.ts';

/** What cashiers type: a word of the name, then more words and the item number. */
export const QUERIES = ['premium spa day 00042', 'yoga class 1', 'weekend boat'] as const;

export type KeystrokeSample = {
  readonly key: string;
  /**
   * keydown → the results re-rendered and laid out: the input event's handlers (React commits a
   * discrete update before its listener returns), then style and layout forced in a microtask
   * after them. The main thread's work for the key, without the wait for the display's next frame.
   */
  readonly laidOutMs: number;
  /**
   * keydown → a task posted from the input event ran, with style and layout forced in it. After a
   * key press Chromium's scheduler holds ordinary tasks until the next frame has been produced, so
   * this includes the wait for the display's next frame (0–16.7 ms at 60 Hz, whatever the page
   * does) and that frame's paint and commit.
   */
  readonly renderedMs: number;
  /** keydown → the next frame painted (includes waiting for the 60 Hz frame). */
  readonly paintedMs: number;
  /** Products shown after the keystroke. */
  readonly shown: number;
  /** The grid's text at laidOut was the grid's text at painted (the probe saw the key's results). */
  readonly sameAtLaidOut: boolean;
};

export type SearchRun = {
  readonly products: number;
  readonly samples: readonly KeystrokeSample[];
  readonly laidOut: Summary;
  readonly rendered: Summary;
  readonly painted: Summary;
  /** Sign-in → the sell screen's grid on screen with the whole catalogue, ms. */
  readonly sellScreenMs: number;
  /**
   * The page's own time per typed key while typing (Chromium's Performance.getMetrics, summed
   * over the typing and divided by the keys), ms: style, layout, script, all tasks. Less bent by
   * other processes on the machine than the wall-clock figures above.
   */
  readonly perKey: {
    readonly style: number;
    readonly layout: number;
    readonly script: number;
    readonly task: number;
  };
};

/** Chromium's timeline categories: tasks, style, layout, paint, frames. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'blink',
  'cc',
  'v8',
];

const METRICS = {
  style: 'RecalcStyleDuration',
  layout: 'LayoutDuration',
  script: 'ScriptDuration',
  task: 'TaskDuration',
} as const;

/**
 * Times every keystroke inside the page: the keydown's timestamp, then, once the input event's
 * handlers are done (React has committed the results), style and layout forced in a microtask
 * ("laid out"); a task posted from the input event, which Chromium runs only after the next frame
 * ("rendered"); then the next animation frame and a task after it ("painted").
 */
async function installKeystrokeProbe(page: Page): Promise<void> {
  // A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
  await page.evaluate(`(() => {
    const samples = [];
    window.__keystrokes = samples;
    let downAt = 0;
    let key = '';
    const afterTask = () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
    window.addEventListener(
      'keydown',
      (event) => {
        downAt = performance.now();
        key = event.key;
      },
      true,
    );
    let pending = null;
    window.addEventListener(
      'input',
      () => {
        // Only keys: an input event without a keydown before it is not timed (fill('') presses
        // Delete, so clearing the box is).
        if (key === '') return;
        pending = { started: downAt, typed: key, laidOutMs: 0, gridAtLaidOut: '' };
        key = '';
        const sample = pending;
        void (async () => {
          await afterTask();
          document.querySelector('.catalogue')?.getBoundingClientRect();
          const renderedMs = performance.now() - sample.started;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          await afterTask();
          const paintedMs = performance.now() - sample.started;
          const shown = document.querySelectorAll('.product-grid > li').length;
          const grid = document.querySelector('.catalogue')?.textContent ?? '';
          samples.push({
            key: sample.typed,
            laidOutMs: sample.laidOutMs,
            renderedMs,
            paintedMs,
            shown,
            sameAtLaidOut: grid === sample.gridAtLaidOut,
          });
          window.__sampled?.();
        })();
      },
      true,
    );
    // Bubbling, on window: after React's listener on its root, which commits the key's update
    // before it returns (a controlled input's change is flushed synchronously). The microtask runs
    // once the event's listeners are done, before the browser goes on.
    window.addEventListener('input', () => {
      const sample = pending;
      pending = null;
      if (sample === null) return;
      queueMicrotask(() => {
        document.querySelector('.catalogue')?.getBoundingClientRect();
        sample.laidOutMs = performance.now() - sample.started;
        sample.gridAtLaidOut = document.querySelector('.catalogue')?.textContent ?? '';
      });
    });
  })()`);
}

function sampleCount(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { __keystrokes: unknown[] }).__keystrokes.length,
  );
}

/**
 * Resolves once the page holds more than `count` samples. One call that waits in the page: polling
 * it from here every few ms ran a CDP evaluation on the page's main thread (about 1 ms each on a
 * busy machine) inside the keystroke being timed.
 */
async function sampled(page: Page, count: number): Promise<void> {
  if (process.env.BENCH_SEARCH_POLL === '1') {
    await pollUntil(
      () => sampleCount(page),
      (now) => now > count,
      { everyMs: 5, timeoutMs: 60_000, what: 'the keystroke to paint' },
    );
    return;
  }
  // A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
  await page.evaluate(`new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no keystroke sample within 60 s')), 60000);
    const check = () => {
      if (window.__keystrokes.length <= ${String(count)}) return false;
      clearTimeout(timer);
      window.__sampled = undefined;
      resolve();
      return true;
    };
    if (!check()) window.__sampled = check;
  })`);
}

export type SearchOptions = {
  /** Writes the page's CPU profile (CDP Profiler) of the typing to this file. */
  readonly profileTo?: string;
  /** Writes a Chromium timeline trace (style, layout, paint, tasks) of the typing to this file. */
  readonly traceTo?: string;
};

/**
 * A server with `products` seeded, a new terminal that pulls them, the cashier signed in on the
 * sell screen; then each query typed one key at a time, each key timed in the page.
 */
export async function measureCatalogueSearch(
  ctx: BenchContext,
  products: number,
  queries: readonly string[],
  options: SearchOptions = {},
): Promise<SearchRun> {
  const server = await startBenchServer({ engine: 'sqlite', demo: true });
  try {
    ctx.log(`catalogue search: seeding ${String(products)} products…`);
    await seedStore(server, { products, entitlements: 0 }, (message) => ctx.log(message));
    return await typeOnNewTerminal(ctx, server, products, queries, options);
  } finally {
    await server.stop();
  }
}

/**
 * A new terminal on `server` (already seeded with `products`) pulls the catalogue, the cashier
 * signs in and types each query one key at a time, each key timed in the page. The POS served is
 * the one BENCH_RENDERER_DIR names when the terminal opens (search-pairs.ts alternates two).
 */
export async function typeOnNewTerminal(
  ctx: BenchContext,
  server: BenchServer,
  products: number,
  queries: readonly string[],
  options: SearchOptions = {},
): Promise<SearchRun> {
  const { profileTo, traceTo } = options;
  const terminal = await openBrowserTerminal(server.url, (message) => ctx.log(message));
  try {
    const { page } = terminal;
    await page.goto(terminal.pos.url);
    await pollUntil(
      () => localDocumentCounts(page),
      (counts) => (counts.products ?? 0) >= products,
      { everyMs: 200, timeoutMs: 300_000, what: 'the catalogue to sync' },
    );
    const signedIn = performance.now();
    await signInAsCashier(page);
    const box = page.getByRole('searchbox', { name: 'Search products' });
    await box.waitFor();
    await pollUntil(
      () => page.evaluate(() => document.querySelectorAll('.product-grid > li').length),
      (shown) => shown > 0,
      { everyMs: 50, timeoutMs: 120_000, what: 'the sell screen to show the catalogue' },
    );
    const sellScreenMs = performance.now() - signedIn;
    ctx.log(`  sell screen up ${rounded(sellScreenMs).toString()} ms after sign-in; typing…`);
    await installKeystrokeProbe(page);
    const metricsSession = await terminal.context.newCDPSession(page);
    await metricsSession.send('Performance.enable');
    const readMetrics = async () => {
      const { metrics } = await metricsSession.send('Performance.getMetrics');
      const byName = new Map(metrics.map((metric) => [metric.name, metric.value]));
      return Object.fromEntries(
        Object.entries(METRICS).map(([key, name]) => [key, (byName.get(name) ?? 0) * 1000]),
      ) as Record<keyof typeof METRICS, number>;
    };
    const before = await readMetrics();
    const cdp = profileTo === undefined ? null : await terminal.context.newCDPSession(page);
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (traceTo !== undefined) {
      await terminal.browser.startTracing(page, { path: traceTo, categories: TRACE_CATEGORIES });
    }
    for (const query of queries) {
      await box.click();
      for (const key of query) {
        const before = await sampleCount(page);
        await page.keyboard.press(key === ' ' ? 'Space' : key);
        await sampled(page, before);
      }
      // Clearing the box (fill('') selects the text and presses Delete) is timed like a typed
      // key: it is the way back to the whole catalogue, every tile changes.
      const before = await sampleCount(page);
      await box.fill('');
      await sampled(page, before);
      await page.waitForTimeout(200);
    }
    if (traceTo !== undefined) await terminal.browser.stopTracing();
    if (cdp && profileTo !== undefined) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(profileTo, JSON.stringify(profile));
    }
    const after = await readMetrics();
    const samples = await page.evaluate(
      () => (window as unknown as { __keystrokes: KeystrokeSample[] }).__keystrokes,
    );
    // Clearing the box after each query is one of the samples (its Delete key).
    const keys = samples.length;
    const perKey = {
      style: (after.style - before.style) / keys,
      layout: (after.layout - before.layout) / keys,
      script: (after.script - before.script) / keys,
      task: (after.task - before.task) / keys,
    };
    const typed = samples;
    const stale = typed.filter((sample) => !sample.sameAtLaidOut).length;
    if (stale > 0) ctx.log(`  ${String(stale)} keys' results changed after the laid-out probe`);
    const laidOut = summarize(typed.map((sample) => sample.laidOutMs));
    const rendered = summarize(typed.map((sample) => sample.renderedMs));
    const painted = summarize(typed.map((sample) => sample.paintedMs));
    ctx.log(
      `  per keystroke: laid out p50 ${rounded(laidOut.p50).toString()} ms p95 ${rounded(laidOut.p95).toString()} ms; rendered p50 ${rounded(rendered.p50).toString()} ms p95 ${rounded(rendered.p95).toString()} ms; painted p95 ${rounded(painted.p95).toString()} ms`,
    );
    ctx.log(
      `  page time per key: style ${rounded(perKey.style).toString()} ms, layout ${rounded(perKey.layout).toString()} ms, script ${rounded(perKey.script).toString()} ms, all tasks ${rounded(perKey.task).toString()} ms`,
    );
    return { products, samples: typed, laidOut, rendered, painted, sellScreenMs, perKey };
  } finally {
    await terminal.close();
  }
}
