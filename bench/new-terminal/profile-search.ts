/**
 * `tsx bench/new-terminal/profile-search.ts [products]`: the catalogue-search benchmark with the
 * page under the CDP profiler while typing; prints the summary (bench/kit/cpu-profile.ts, the
 * bundle resolved through its source maps; profile kept in test-results/profiles/catalogue-search/).
 * `--trace` records a Chromium timeline trace instead (kept as trace.json beside it; open it in
 * DevTools' Performance panel) and prints the renderer main thread's self time per event name per
 * key: style (UpdateLayoutTree), Layout, PrePaint, Paint, Layerize, script (FunctionCall, v8.*).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleResolver } from '../kit/bundle-resolver.ts';
import { formatProfileSummary, readCpuProfile, summarizeProfile } from '../kit/cpu-profile.ts';
import { contextFor } from '../kit/runner.ts';
import { rendererMainThreads, threadOf, type TraceEvent } from '../kit/trace-events.ts';
import { QUERIES, measureCatalogueSearch } from './catalogue-search.ts';

/** Self time (µs) per event name on the renderer's main thread(s), complete ('X') events only. */
export function mainThreadSelfTimes(events: readonly TraceEvent[]): Map<string, number> {
  const main = rendererMainThreads(events);
  const self = new Map<string, number>();
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = threadOf(event);
    if (event.ph !== 'X' || event.dur === undefined || !main.has(thread)) continue;
    const list = byThread.get(thread) ?? [];
    list.push(event);
    byThread.set(thread, list);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const stack: { readonly end: number; readonly name: string }[] = [];
    for (const event of list) {
      const dur = event.dur ?? 0;
      while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= event.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - dur);
      self.set(event.name, (self.get(event.name) ?? 0) + dur);
      stack.push({ end: event.ts + dur, name: event.name });
    }
  }
  return self;
}

const tracing = process.argv.includes('--trace');
const dir = path.resolve('test-results/profiles/catalogue-search');
await mkdir(dir, { recursive: true });
const file = path.join(dir, tracing ? 'trace.json' : 'page.cpuprofile');
const ctx = contextFor({
  quick: false,
  only: [],
  log: (message) => process.stderr.write(`${message}\n`),
});
const [products] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'))
  .map(Number);
const run = await measureCatalogueSearch(
  ctx,
  products ?? 20_000,
  tracing ? QUERIES : QUERIES.slice(0, 1),
  tracing ? { traceTo: file } : { profileTo: file },
);
process.stdout.write(
  `per keystroke laid out p50 ${run.laidOut.p50.toFixed(1)} ms, p95 ${run.laidOut.p95.toFixed(1)} ms; rendered (after the next frame) p50 ${run.rendered.p50.toFixed(1)} ms, p95 ${run.rendered.p95.toFixed(1)} ms\n`,
);
if (tracing) {
  const trace = JSON.parse(await readFile(file, 'utf8')) as { traceEvents: TraceEvent[] };
  const keys = run.samples.length;
  const rows = [...mainThreadSelfTimes(trace.traceEvents)]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([name, micros]) => `  ${(micros / 1000 / keys).toFixed(2).padStart(8)} ms  ${name}`);
  process.stdout.write(
    `Renderer main thread, self time per key (${String(keys)} keys):\n${rows.join('\n')}\n`,
  );
} else {
  const summary = summarizeProfile(await readCpuProfile(file), {
    top: 20,
    resolve: bundleResolver(),
  });
  process.stdout.write(`${formatProfileSummary(summary, 'Page while typing')}\n`);
}
