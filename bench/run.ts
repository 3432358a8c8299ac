/**
 * `npm run bench`: measures the POS and the sync server on this machine and reports; it never
 * fails for slowness. `--quick` runs tiny sizes as a smoke test (CI); `--only a,b` picks
 * benchmarks. The exit code is non-zero only when a benchmark is broken (it threw).
 */
import { parseArgs } from 'node:util';
import { stopBenchCluster } from './kit/engines.ts';
import { describeMachine, describeRevision } from './kit/machine.ts';
import { updatePerformanceDoc } from './kit/performance-doc.ts';
import { formatNotes, formatTable, writeRun, type BenchRun } from './kit/report.ts';
import { runScenarios, selectScenarios } from './kit/runner.ts';
import { SCENARIOS } from './scenarios/index.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: '' },
  },
});
const only = values.only.split(',').filter((id) => id !== '');
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const scenarios = selectScenarios(SCENARIOS, only);
const date = new Date().toISOString();
try {
  const results = await runScenarios(scenarios, { quick: values.quick, only, log });
  const run: BenchRun = {
    date,
    quick: values.quick,
    only,
    machine: describeMachine(),
    revision: describeRevision(),
    results,
  };
  const file = await writeRun(run, process.cwd());
  const notes = formatNotes(results);
  process.stdout.write(`\n${formatTable(results)}\n`);
  if (notes.length > 0) process.stdout.write(`\nNotes:\n${notes.join('\n')}\n`);
  const { machine } = run;
  process.stdout.write(
    `\n${machine.cpu}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB · Node ${machine.node} · ${run.revision.commit.slice(0, 7)}${run.revision.dirty ? ' (uncommitted changes)' : ''}\nWritten to ${file}${values.quick ? ' (quick run: the figures only show the benchmarks still work)' : ''}\n`,
  );
  const broken = results.some((result) => result.error !== undefined);
  if (broken) process.exitCode = 1;
  // Only a full, unbroken run of every benchmark replaces the table and chart in the docs.
  if (!values.quick && only.length === 0 && !broken) {
    await updatePerformanceDoc(run, process.cwd());
    process.stdout.write('docs/PERFORMANCE.md and its chart now show this run.\n');
  }
} finally {
  await stopBenchCluster();
}
