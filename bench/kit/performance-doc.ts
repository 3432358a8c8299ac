import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { renderLineChart } from './chart.ts';
import { formatMarkdownTable, formatNotes, type BenchRun } from './report.ts';

/** The checkout benchmark's series (bench/scenarios/till.ts writes it in its details). */
export type CheckoutPoint = {
  readonly pastSales: number;
  readonly p50: number;
  readonly p95: number;
  readonly floorP50: number;
  readonly floorP95: number;
};

export const CHART_FILE = 'docs/performance/checkout-latency.svg';
const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

function isCheckoutPoint(value: unknown): value is CheckoutPoint {
  if (typeof value !== 'object' || value === null) return false;
  const keys = ['pastSales', 'p50', 'p95', 'floorP50', 'floorP95'] as const;
  return keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'number');
}

export function checkoutSeries(run: BenchRun): CheckoutPoint[] {
  const series = run.results.find((result) => result.id === 'checkout')?.details?.checkoutBySize;
  return Array.isArray(series) ? series.filter(isCheckoutPoint) : [];
}

export function checkoutChart(points: readonly CheckoutPoint[]): string {
  return renderLineChart({
    title: 'Checkout: Complete → receipt with codes (Chromium, IndexedDB)',
    xLabel: 'past sales stored on the till',
    yLabel: 'milliseconds',
    categories: points.map((point) => point.pastSales.toLocaleString('en-GB')),
    series: [
      { name: 'checkout p95', colour: '#1f5fa8', values: points.map((point) => point.p95) },
      { name: 'checkout p50', colour: '#6fa8dc', values: points.map((point) => point.p50) },
      {
        name: 'raw IndexedDB p95',
        colour: '#7f7f7f',
        values: points.map((point) => point.floorP95),
        dashed: true,
      },
    ],
    threshold: { label: 'target p95 30 ms', value: 30 },
  });
}

/** The generated block of docs/PERFORMANCE.md: when, where, the command, the table, the notes. */
export function latestBlock(run: BenchRun): string {
  const { machine, revision } = run;
  const notes = formatNotes(run.results);
  return [
    START,
    `Measured ${run.date.slice(0, 16).replace('T', ' ')} UTC on commit \`${revision.commit.slice(0, 7)}\`${revision.dirty ? ' (with uncommitted changes)' : ''}: ${machine.cpu}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB, ${machine.os}, Node ${machine.node}, ${machine.chromium}, ${machine.postgres}. Reproduce with \`npm run bench\`; the raw figures are in \`bench/results/\`.`,
    '',
    formatMarkdownTable(run.results),
    ...(notes.length > 0
      ? ['', 'Notes from the run:', '', ...notes.map((note) => `- ${note}`)]
      : []),
    END,
  ].join('\n');
}

/** Replaces the block between the markers; the hand-written text around it is kept. */
export function replaceLatestBlock(document: string, block: string): string {
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/PERFORMANCE.md has lost its ${START} … ${END} markers; put them back.`);
  }
  return document.slice(0, start) + block + document.slice(end + END.length);
}

/** After a full run of every benchmark: the table and chart in docs/ show this run. */
export async function updatePerformanceDoc(run: BenchRun, root: string): Promise<void> {
  const docFile = path.join(root, 'docs', 'PERFORMANCE.md');
  const document = await readFile(docFile, 'utf8');
  // Formatted as `npm run lint` expects, so a run's doc update is ready to commit.
  const updated = await format(replaceLatestBlock(document, latestBlock(run)), {
    ...(await resolveConfig(docFile)),
    filepath: docFile,
  });
  await writeFile(docFile, updated);
  const points = checkoutSeries(run);
  if (points.length > 0) {
    await mkdir(path.join(root, path.dirname(CHART_FILE)), { recursive: true });
    await writeFile(path.join(root, CHART_FILE), checkoutChart(points));
  }
}
