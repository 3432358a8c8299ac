/**
 * `tsx bench/new-terminal/profile-search.ts [products]`: the catalogue-search benchmark with the
 * page under the CDP profiler while typing; prints the summary (bench/kit/cpu-profile.ts, the
 * bundle resolved through its source maps; profile kept in test-results/profiles/catalogue-search/).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { bundleResolver } from '../kit/bundle-resolver.ts';
import { formatProfileSummary, readCpuProfile, summarizeProfile } from '../kit/cpu-profile.ts';
import { contextFor } from '../kit/runner.ts';
import { QUERIES, measureCatalogueSearch } from './catalogue-search.ts';

const dir = path.resolve('test-results/profiles/catalogue-search');
await mkdir(dir, { recursive: true });
const file = path.join(dir, 'page.cpuprofile');
const ctx = contextFor({
  quick: false,
  only: [],
  log: (message) => process.stderr.write(`${message}\n`),
});
const [products] = process.argv.slice(2).map(Number);
const run = await measureCatalogueSearch(ctx, products ?? 20_000, QUERIES.slice(0, 1), file);
process.stdout.write(
  `per keystroke p50 ${run.rendered.p50.toFixed(1)} ms, p95 ${run.rendered.p95.toFixed(1)} ms\n`,
);
const summary = summarizeProfile(await readCpuProfile(file), {
  top: 20,
  resolve: bundleResolver(),
});
process.stdout.write(`${formatProfileSummary(summary, 'Page while typing')}\n`);
