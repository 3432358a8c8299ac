/**
 * `tsx bench/new-terminal/profile-first-sync.ts [products] [statuses]`: one first sync on SQLite
 * with the server under the CPU profiler (cpu-profile-preload.js) and the page under the CDP profiler; prints the top self-time
 * functions of both (profiles kept in test-results/profiles/first-sync/).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  bundleResolver,
  formatSelfTimes,
  topSelfTime,
  type CpuProfile,
} from '../kit/profile-newterm.ts';
import { contextFor } from '../kit/runner.ts';
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
    env: {
      NODE_OPTIONS: `--import ${path.resolve('bench/new-terminal/cpu-profile-preload.js')}`,
      CPU_PROFILE_FILE: path.join(dir, 'server.cpuprofile'),
    },
    profileTo: path.join(dir, 'page.cpuprofile'),
  },
);
process.stdout.write(`first sync: ${run.seconds.toFixed(1)} s\n`);
for (const file of await readdir(dir)) {
  if (!file.endsWith('.cpuprofile')) continue;
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
  process.stdout.write(
    `\n${file}\n${formatSelfTimes(topSelfTime(profile, 20, bundleResolver()))}\n`,
  );
}
