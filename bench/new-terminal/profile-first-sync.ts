/**
 * `tsx bench/new-terminal/profile-first-sync.ts [products] [statuses]`: one first sync on SQLite
 * with the server under the CPU profiler for its whole life (bench/kit/server-profiler.ts,
 * sampling every 0.5 ms) and the page under the CDP profiler; prints the summary of both
 * (bench/kit/cpu-profile.ts, the page's bundle resolved through its source maps). The profiles
 * are kept in test-results/profiles/first-sync/.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { bundleResolver } from '../kit/bundle-resolver.ts';
import { formatProfileSummary, readCpuProfile, summarizeProfile } from '../kit/cpu-profile.ts';
import { contextFor } from '../kit/runner.ts';
import { profilerEnv } from '../kit/server-profiler.ts';
import { measureFirstSync } from './first-sync.ts';

const dir = path.resolve('test-results/profiles/first-sync');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const [products, statuses] = process.argv.slice(2).map(Number);
const ctx = contextFor({
  quick: false,
  only: [],
  log: (message) => process.stderr.write(`${message}\n`),
});
const run = await measureFirstSync(
  ctx,
  'sqlite',
  { products: products ?? 20_000, entitlements: statuses ?? 50_000 },
  {
    // Written when the server stops, at the end of the measurement.
    env: profilerEnv(path.join(dir, 'server.cpuprofile'), { from: 'start', intervalUs: 500 }),
    profileTo: path.join(dir, 'page.cpuprofile'),
  },
);
process.stdout.write(`first sync: ${run.seconds.toFixed(1)} s\n`);
process.stdout.write(`CPU seconds by process: ${JSON.stringify(run.cpuSeconds)}\n`);
const resolve = bundleResolver();
for (const file of await readdir(dir)) {
  if (!file.endsWith('.cpuprofile')) continue;
  const profile = await readCpuProfile(path.join(dir, file));
  process.stdout.write(
    `\n${formatProfileSummary(summarizeProfile(profile, { top: 20, resolve }), file)}\n`,
  );
}
