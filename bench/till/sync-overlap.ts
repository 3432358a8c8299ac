/**
 * Does the previous sale's sync (its push, acks, the pulled statuses of its codes) share the next
 * checkout's time? One till lab, 0 past sales, checkouts in alternating blocks:
 *   back-to-back: the next sale at once, as the benchmark does (a sale every few hundred ms);
 *   settled: 1.5 s after each receipt first, as at a counter (the sync has finished by then);
 *   offline: the browser offline (Playwright), so nothing syncs at all.
 * `npx tsx bench/till/sync-overlap.ts [--blocks 3] [--per-block 20]`
 */
import { parseArgs } from 'node:util';
import { summarize } from '../kit/stats.ts';
import { openTillLab } from './lab.ts';
import { timeCheckout } from './measure.ts';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '3' },
    'per-block': { type: 'string', default: '20' },
  },
});
type Mode = 'back-to-back' | 'settled' | 'offline';
const MODES: readonly Mode[] = ['back-to-back', 'settled', 'offline'];
const samples: Record<Mode, number[]> = { 'back-to-back': [], settled: [], offline: [] };

const lab = await openTillLab({ quick: false, log: () => undefined, size: (full) => full });
try {
  const context = lab.page.context();
  for (let i = 0; i < 5; i += 1) await timeCheckout(lab.page);
  for (let block = 0; block < Number(values.blocks); block += 1) {
    // Rotated, so no mode always follows the same one.
    const order = MODES.map((_, k) => MODES[(k + block) % MODES.length] ?? 'offline');
    for (const mode of order) {
      await context.setOffline(mode === 'offline');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (let i = 0; i < Number(values['per-block']); i += 1) {
        if (mode === 'settled') await new Promise((resolve) => setTimeout(resolve, 1500));
        samples[mode].push(await timeCheckout(lab.page));
      }
    }
  }
  await context.setOffline(false);
} finally {
  await lab.close();
}
for (const mode of MODES) {
  const { p50, p95, n } = summarize(samples[mode]);
  process.stdout.write(
    `${mode}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (n=${String(n)})\n`,
  );
}
