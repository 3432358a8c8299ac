/**
 * Where one checkout's wall-clock time goes, from inside the page: every IndexedDB transaction
 * between the click on "Complete sale" and the receipt's code cards (its database, mode, when it
 * was opened and when it completed, relative to the click), and the time from the sale's write
 * completing to the code cards in the DOM (React's render of the receipt and whatever ran first).
 * Inside the sale's write, each request (the read RxDB makes of the id, then the put) with when it
 * was made and answered: an answer waits for the page's main thread, so work the page does
 * meanwhile shows here. Marks a throwaway build places with `performance.mark('checkout:…')`
 * are reported too (median time after the click).
 * Medians over `--checkouts` sales of one POS build; `--profile` also writes a CPU profile of
 * each checkout's window (summarise them with bench/kit/cpu-profile.ts).
 * `npx tsx bench/till/phases-checkout.ts --dist <built POS dir> [--sales 0] [--checkouts 20]`
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { summarize } from '../kit/stats.ts';
import type { CDPSession } from 'playwright-core';
import { openTillLab } from './lab.ts';
import { timeCheckout } from './measure.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    sales: { type: 'string', default: '0' },
    checkouts: { type: 'string', default: '20' },
    profile: { type: 'string', default: '' },
    /** Trace this many more checkouts (Chromium's timeline) and sum what ran in their windows. */
    trace: { type: 'string', default: '0' },
  },
});
if (values.dist === undefined) throw new Error('Usage: --dist <built POS dir>');
const log = (message: string) => {
  process.stderr.write(`${message}\n`);
};

/** Records every IndexedDB transaction (database, mode, opened, completed) and the last click. */
const TRANSACTION_LOG = `(() => {
  const log = [];
  window.__tx = log;
  const entries = new WeakMap();
  for (const op of ['get', 'getAll', 'put', 'add', 'count', 'openCursor', 'delete']) {
    const call = IDBObjectStore.prototype[op];
    IDBObjectStore.prototype[op] = function (...args) {
      const request = call.apply(this, args);
      const entry = entries.get(this.transaction);
      if (entry) {
        const made = { op, at: performance.now(), answered: null };
        entry.requests.push(made);
        request.addEventListener('success', () => { made.answered ??= performance.now(); });
      }
      return request;
    };
  }
  const open = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    const tx = open.apply(this, args);
    const entry = { db: this.name.replace(/^rxdb-dexie-entitle-pos--\\d+--/, ''), mode: tx.mode, opened: performance.now(), done: null, requests: [] };
    log.push(entry);
    entries.set(tx, entry);
    tx.addEventListener('complete', () => { entry.done = performance.now(); });
    return tx;
  };
  document.addEventListener('click', (event) => {
    if (event.target instanceof HTMLElement && event.target.textContent.trim() === 'Complete sale') {
      window.__clickAt = performance.now();
      performance.mark('checkout-click');
      log.length = 0;
      performance.clearMarks();
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-testid="code-card"]') === null) return;
        observer.disconnect();
        performance.mark('checkout-cards');
      });
      observer.observe(document.body, { childList: true, subtree: true });
    }
  }, true);
})()`;

type Request = { op: string; at: number; answered: number | null };
type Entry = {
  db: string;
  mode: string;
  opened: number;
  done: number | null;
  requests: Request[];
};

const lab = await openTillLab(
  { quick: false, log, size: (full) => full },
  { rendererDir: values.dist },
);
try {
  for (let i = 0; i < 5; i += 1) await timeCheckout(lab.page);
  if (Number(values.sales) > 0) {
    await lab.seed(Number(values.sales));
    for (let i = 0; i < 5; i += 1) await timeCheckout(lab.page);
  }
  // Dexie binds IDBDatabase#transaction when it opens a database: patch it before, and reload.
  await lab.page.addInitScript(TRANSACTION_LOG);
  await lab.openSellScreen();
  for (let i = 0; i < 3; i += 1) await timeCheckout(lab.page);
  const session = await lab.page.context().newCDPSession(lab.page);
  if (values.profile !== '') {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  const totals: number[] = [];
  const marksAfterClick = new Map<string, number[]>();
  const requestWaits = new Map<string, number[]>();
  const saleWrites: { opened: number; done: number }[] = [];
  const others = new Map<string, number>();
  for (let i = 0; i < Number(values.checkouts); i += 1) {
    // The profile covers the checkout alone: from just before the click to the code cards.
    let profiled: Promise<unknown> = Promise.resolve();
    const total = await timeCheckout(
      lab.page,
      values.profile === ''
        ? {}
        : {
            beforeClick: async () => {
              await session.send('Profiler.start');
            },
            afterCards: async () => {
              const { profile } = await session.send('Profiler.stop');
              profiled = writeFile(
                `${values.profile}-${String(i)}.cpuprofile`,
                JSON.stringify(profile),
              );
            },
          },
    );
    await profiled;
    // The checkout's own window, the last `total` ms of the profile (before it, the profiler's start).
    if (values.profile !== '') await writeFile(`${values.profile}-${String(i)}.ms`, String(total));
    const { click, entries, marks } = await lab.page.evaluate(() => {
      const page = window as unknown as { __clickAt: number; __tx: Entry[] };
      const firstOf: Record<string, number> = {};
      for (const mark of performance.getEntriesByType('mark'))
        if (mark.name.startsWith('checkout:')) firstOf[mark.name] ??= mark.startTime;
      return { click: page.__clickAt, entries: page.__tx.slice(), marks: firstOf };
    });
    for (const [name, at] of Object.entries(marks))
      marksAfterClick.set(name, [...(marksAfterClick.get(name) ?? []), at - click]);
    totals.push(total);

    const inWindow = entries.filter((entry) => entry.opened - click <= total);
    const sale = inWindow.find((entry) => entry.db === 'sales' && entry.mode === 'readwrite');
    for (const request of sale?.requests ?? []) {
      if (request.answered === null) continue;
      requestWaits.set(request.op, [
        ...(requestWaits.get(request.op) ?? []),
        request.answered - request.at,
      ]);
    }
    const lastRequest = sale?.requests.at(-1)?.answered;
    if (sale?.done != null && lastRequest != null)
      requestWaits.set('last answer -> complete', [
        ...(requestWaits.get('last answer -> complete') ?? []),
        sale.done - lastRequest,
      ]);
    if (sale?.done != null)
      saleWrites.push({ opened: sale.opened - click, done: sale.done - click });
    // The phases beside the profile: its last `total - done` ms are the write's completion to
    // the cards (summarise that window with bench/kit/cpu-profile.ts --last).
    if (values.profile !== '' && sale?.done != null)
      await writeFile(
        `${values.profile}-${String(i)}.phases.json`,
        JSON.stringify({ total, opened: sale.opened - click, done: sale.done - click }),
      );
    for (const entry of inWindow) {
      const key = `${entry.db} ${entry.mode}`;
      others.set(key, (others.get(key) ?? 0) + 1);
    }
    if (i === 0) {
      for (const entry of inWindow)
        log(
          `  ${entry.db.padEnd(20)} ${entry.mode.padEnd(9)} opened ${(entry.opened - click).toFixed(1)} done ${entry.done === null ? '-' : (entry.done - click).toFixed(1)}`,
        );
    }
  }
  const p50 = (numbers: number[]) => summarize(numbers).p50.toFixed(1);
  log(`checkout p50 ${p50(totals)} ms, p95 ${summarize(totals).p95.toFixed(1)} ms`);
  log(`click -> sale write opened: p50 ${p50(saleWrites.map((w) => w.opened))} ms`);
  log(`sale write (opened -> complete): p50 ${p50(saleWrites.map((w) => w.done - w.opened))} ms`);
  log(
    `sale stored -> code cards: p50 ${p50(saleWrites.map((w, i) => (totals[i] ?? Number.NaN) - w.done))} ms`,
  );
  for (const [op, waits] of requestWaits)
    log(
      `  in the sale's write, ${op}: p50 ${p50(waits)} ms, p95 ${summarize(waits).p95.toFixed(1)} ms`,
    );
  for (const [name, times] of marksAfterClick)
    log(`mark ${name}: p50 ${p50(times)} ms after the click (${String(times.length)} checkouts)`);
  // The tail: the slowest checkouts, each split into its three phases.
  const slowest = totals
    .map((total, i) => ({ total, write: saleWrites[i] }))
    .sort((a, b) => b.total - a.total)
    .slice(0, Math.max(3, Math.ceil(totals.length / 10)));
  for (const { total, write } of slowest)
    log(
      `  slow: ${total.toFixed(1)} ms = to the write ${write?.opened.toFixed(1) ?? '-'}, write ${write === undefined ? '-' : (write.done - write.opened).toFixed(1)}, to the cards ${write === undefined ? '-' : (total - write.done).toFixed(1)}`,
    );
  const n = String(totals.length);
  for (const [key, count] of others)
    log(`  ${key}: ${String(count)} transactions in ${n} checkouts`);
  if (Number(values.trace) > 0) await traceCheckouts(session, Number(values.trace));
} finally {
  await lab.close();
}

type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  cat: string;
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string } };
};

/** Top-level timeline events of the page's main thread between each click and its code cards. */
async function traceCheckouts(session: CDPSession, count: number): Promise<void> {
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (data) => {
    events.push(...(data.value as unknown as TraceEvent[]));
  });
  const finished = new Promise<void>((resolve) => {
    session.once('Tracing.tracingComplete', () => {
      resolve();
    });
  });
  await session.send('Tracing.start', {
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'blink.user_timing',
        'v8.execute',
        'toplevel',
        'IndexedDB',
        'leveldb',
      ],
    },
  });
  for (let i = 0; i < count; i += 1) await timeCheckout(lab.page);
  await session.send('Tracing.end');
  await finished;
  const clicks = events.filter((e) => e.name === 'checkout-click').map((e) => e.ts);
  const cards = events.filter((e) => e.name === 'checkout-cards').map((e) => e.ts);
  const mainTid = events.find((e) => e.name === 'checkout-click')?.tid;
  const sums = new Map<string, number>();
  let windows = 0;
  for (const [i, start] of clicks.entries()) {
    const end = cards.find((ts) => ts > start);
    if (end === undefined || (clicks[i + 1] ?? Infinity) < end) continue;
    windows += 1;
    const rows: string[] = [];
    for (const e of events) {
      if (e.tid !== mainTid || e.ph !== 'X' || e.dur === undefined) continue;
      if (e.ts + e.dur < start || e.ts > end) continue;
      if (!['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name)) continue;
      const taskEnd = e.ts + e.dur;
      const from = Math.max(e.ts, start);
      const to = Math.min(taskEnd, end);
      // What the task did: its longest direct child events named.
      const inner = events
        .filter(
          (c) => c.tid === mainTid && c.ph === 'X' && c.ts >= e.ts && c.ts < taskEnd && c !== e,
        )
        .filter((c) => c.name !== 'RunTask' && (c.dur ?? 0) > 300)
        .map((c) => {
          const data = c.args?.data;
          const what = data?.functionName ?? data?.type ?? data?.url?.split('/').pop() ?? '';
          return `${c.name}${what ? `(${what})` : ''} ${((c.dur ?? 0) / 1000).toFixed(1)}`;
        })
        .slice(0, 6)
        .join(', ');
      const key = `task ${((to - from) / 1000).toFixed(1)} ms at +${((from - start) / 1000).toFixed(1)}: ${inner}`;
      rows.push(key);
      sums.set('busy', (sums.get('busy') ?? 0) + (to - from));
    }
    sums.set('window', (sums.get('window') ?? 0) + (end - start));
    if (windows <= 3) {
      log(`checkout ${String(i)}: ${((end - start) / 1000).toFixed(1)} ms from click to cards`);
      for (const row of rows) log(`  ${row}`);
    }
  }
  // The slowest windows: every event over 2 ms on any thread that overlapped them (IndexedDB's
  // work in the browser process, LevelDB, garbage collection, the page's tasks).
  const threadNames = new Map<string, string>();
  for (const e of events)
    if (e.name === 'thread_name')
      threadNames.set(`${String(e.pid)}:${String(e.tid)}`, e.args?.name ?? '');
  const slow = clicks
    .map((start) => ({ start, end: cards.find((ts) => ts > start) ?? start }))
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, 4);
  for (const { start, end } of slow) {
    log(`slow checkout: ${((end - start) / 1000).toFixed(1)} ms from click to cards`);
    for (const e of events) {
      if (e.ph !== 'X' || (e.dur ?? 0) < 2000 || e.ts + (e.dur ?? 0) < start || e.ts > end)
        continue;
      const thread = threadNames.get(`${String(e.pid)}:${String(e.tid)}`) ?? String(e.tid);
      log(
        `  +${((e.ts - start) / 1000).toFixed(1)} ${((e.dur ?? 0) / 1000).toFixed(1)} ms ${thread}: ${e.name}`,
      );
    }
  }
  const mean = (key: string) => ((sums.get(key) ?? 0) / 1000 / Math.max(windows, 1)).toFixed(1);
  log(
    `traced ${String(windows)} checkouts: mean window ${mean('window')} ms, main thread busy ${mean('busy')} ms`,
  );
}
