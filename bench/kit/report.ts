import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Machine, Revision } from './machine.ts';
import { rounded } from './stats.ts';
import { verdictOf, type Figure, type ScenarioResult } from './types.ts';

/** One `npm run bench`: what was measured, where, on which commit, when. */
export type BenchRun = {
  readonly date: string;
  readonly quick: boolean;
  /** The benchmarks `--only` picked; empty when every one ran. */
  readonly only: readonly string[];
  readonly machine: Machine;
  readonly revision: Revision;
  readonly results: readonly ScenarioResult[];
};

const VERDICT_TEXT = { met: 'met', missed: 'MISSED', none: '' } as const;

export function formatValue(figure: Figure): string {
  if (figure.value === null) return 'not measured';
  const value = rounded(figure.value).toLocaleString('en-GB');
  return figure.unit === 'x' ? `${value}×` : `${value} ${figure.unit}`;
}

export function formatTarget(figure: Figure): string {
  if (figure.target === undefined) return '';
  const value = figure.target.value.toLocaleString('en-GB');
  const unit = figure.unit === 'x' ? '×' : ` ${figure.unit}`;
  return `${figure.target.op === '<' ? '<' : '≥'} ${value}${unit}`;
}

type Row = readonly [
  scenario: string,
  figure: string,
  value: string,
  target: string,
  verdict: string,
];

function rowsOf(results: readonly ScenarioResult[]): Row[] {
  const rows: Row[] = [];
  for (const result of results) {
    const scenario = `${String(result.number)}. ${result.title}`;
    if (result.error !== undefined) {
      rows.push([scenario, 'error', result.error.split('\n')[0] ?? '', '', 'BROKEN']);
      continue;
    }
    result.figures.forEach((figure, index) => {
      rows.push([
        index === 0 ? scenario : '',
        figure.label,
        formatValue(figure),
        formatTarget(figure),
        VERDICT_TEXT[verdictOf(figure)],
      ]);
    });
  }
  return rows;
}

const HEADER: Row = ['Scenario', 'Figure', 'Value', 'Target', ''];

/** The table printed at the end of a run (plain text, aligned columns). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = [HEADER, ...rowsOf(results)];
  const widths = HEADER.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: Row): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(HEADER), rule, ...rows.slice(1).map(line)].join('\n');
}

/** The same table as Markdown, for docs/PERFORMANCE.md. */
export function formatMarkdownTable(results: readonly ScenarioResult[]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (row: Row): string => `| ${row.map(escape).join(' | ')} |`;
  return [line(HEADER), '|---|---|--:|--:|---|', ...rowsOf(results).map(line)].join('\n');
}

/** The notes every scenario left, one line each, under its number. */
export function formatNotes(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((result) =>
    (result.notes ?? []).map((note) => `${String(result.number)}. ${note}`),
  );
}

/**
 * Writes the run as JSON: `bench/results/<date>-<commit>.json` and `latest.json` for a full run
 * (`…-only-<ids>.json` alone for some benchmarks);
 * a quick run (a smoke test, its figures meaningless) goes to `test-results/bench-quick.json`.
 */
export async function writeRun(run: BenchRun, root: string): Promise<string> {
  const json = `${JSON.stringify(run, null, 2)}\n`;
  if (run.quick) {
    const file = path.join(root, 'test-results', 'bench-quick.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, json);
    return file;
  }
  const dir = path.join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stem = `${run.date.slice(0, 10)}-${run.revision.commit.slice(0, 7)}`;
  // A run of some benchmarks (`--only`) is named after them and never becomes latest.json.
  const suffix = run.only.length === 0 ? '' : `-only-${run.only.join('-')}`;
  const file = path.join(dir, `${stem}${suffix}.json`);
  await writeFile(file, json);
  if (run.only.length === 0) await writeFile(path.join(dir, 'latest.json'), json);
  return file;
}
