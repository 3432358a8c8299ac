import { rounded, summarize } from '../kit/stats.ts';
import type { Figure, Scenario } from '../kit/types.ts';
import { measureTill } from '../till/run-till.ts';

const count = (n: number) => n.toLocaleString('en-GB');

const SHARED_NOTE =
  'Checkout, renderer memory and start-up share one seeded browser profile: the first of them to run measures all three.';

/** Issue #7 items 1 checkout, 8 renderer memory, 9 start-up (Chromium, 100,000 stored sales). */
export const tillScenarios: readonly Scenario[] = [
  {
    id: 'checkout',
    number: 1,
    title: 'Checkout (Chromium, IndexedDB)',
    async run(ctx) {
      const till = await measureTill(ctx);
      const figures: Figure[] = till.checkoutBySize.flatMap((row) => [
        { label: `p50 at ${count(row.pastSales)} past sales`, value: row.p50, unit: 'ms' as const },
        {
          label: `p95 at ${count(row.pastSales)} past sales`,
          value: row.p95,
          unit: 'ms' as const,
          ...(row.pastSales === 100_000 ? { target: { op: '<' as const, value: 30 } } : {}),
        },
      ]);
      const largest = till.checkoutBySize.at(-1);
      if (largest) {
        const stored = count(largest.pastSales);
        figures.push(
          {
            label: `p50 to the painted frame at ${stored} past sales`,
            value: largest.paintedP50,
            unit: 'ms',
          },
          {
            label: `p95 to the painted frame at ${stored} past sales`,
            value: largest.paintedP95,
            unit: 'ms',
          },
          { label: 'floor p50 (raw IndexedDB put)', value: largest.floorP50, unit: 'ms' },
          { label: 'floor p95 (raw IndexedDB put)', value: largest.floorP95, unit: 'ms' },
        );
      }
      return {
        figures,
        details: {
          checkoutBySize: till.checkoutBySize,
          checkoutSamples: till.checkoutSamples,
          floorSamples: till.floorSamples,
          checkoutsPerSize: till.checkoutsPerSize,
          seedSeconds: rounded(till.seedSeconds),
        },
        notes: [
          `From the click on "Complete sale" to the receipt's code cards in the DOM, timed inside the page; ${String(till.checkoutsPerSize)} cash sales per size after warm-ups. To the painted frame: until a task posted from the next animation frame after the cards were in the DOM runs (Chromium runs it once that frame is produced), so it includes the wait for the display's next frame (0–16.7 ms at 60 Hz); per size in the JSON. Floor: the same sale document put into its own IndexedDB database, awaited to transaction complete.`,
          `Past sales seeded into the POS's own store as synced history (an accepted ack per sale, written before the push checkpoint, a pulled status per code; audit events not seeded) in ${rounded(till.seedSeconds).toString()} s.`,
          `After seeding, the timing waits until IndexedDB's LevelDB has logged no compaction for 10 s (at most 5 min; bench/till/leveldb-log.ts), as on a till that wrote its history over months: ${till.checkoutBySize.map((row) => `${count(row.pastSales)}: waited ${row.settledSeconds === null ? '-' : `${String(row.settledSeconds)} s`}, ${String(row.duringCompaction)} timed checkouts overlapped a compaction`).join('; ')}.`,
          SHARED_NOTE,
        ],
      };
    },
  },
  {
    id: 'renderer-memory',
    number: 8,
    title: 'Memory: renderer',
    async run(ctx) {
      const till = await measureTill(ctx);
      const stored = count(till.largest);
      return {
        figures: [
          {
            label: `JS heap after start-up, ${stored} sales`,
            value: rounded(till.heap.afterStartup),
            unit: 'MB',
          },
          {
            label: `JS heap after the checkouts, ${stored} sales`,
            value: rounded(till.heap.afterCheckouts),
            unit: 'MB',
          },
        ],
        details: { heap: till.heap },
        notes: [
          'JS heap in use after a forced collection (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage usedSize), MiB.',
          SHARED_NOTE,
        ],
      };
    },
  },
  {
    id: 'start-up',
    number: 9,
    title: `Start-up with 100,000 sales`,
    async run(ctx) {
      const till = await measureTill(ctx);
      const stored = count(till.largest);
      const reloads = summarize(till.startup.reloads);
      return {
        figures: [
          {
            label: `reload to sell screen, ${stored} sales (p50)`,
            value: rounded(reloads.p50),
            unit: 'ms',
          },
          {
            label: `cold start to sign-in screen, ${stored} sales`,
            value: till.startup.coldToSignIn === null ? null : rounded(till.startup.coldToSignIn),
            unit: 'ms',
          },
        ],
        details: { startup: till.startup },
        notes: [
          `Navigation start to the first product tile in the DOM (the sell screen takes a click), timed inside the page, ${String(till.startup.reloads.length)} reloads of the signed-in tab. Cold: a new browser on the same profile, to the sign-in screen (sign-in lives in the tab).`,
          SHARED_NOTE,
        ],
      };
    },
  },
];
