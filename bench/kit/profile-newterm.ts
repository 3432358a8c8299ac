import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';

/** The parts of a V8 .cpuprofile (Node --cpu-prof, or CDP Profiler.stop) this reader needs. */
export type CpuProfile = {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
};

export type SelfTime = { readonly name: string; readonly ms: number; readonly share: number };

/**
 * The functions with the most self time: each sample's time (its delta) goes to the node it
 * landed in, summed per function name and location.
 */
export function topSelfTime(
  profile: CpuProfile,
  count = 15,
  resolve: Resolver = () => null,
): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = deltas[index + 1] ?? 0;
    total += micros;
    if (!node) return;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url.split('/').slice(-2).join('/');
    const original = resolve(url, lineNumber, columnNumber);
    const name = `${functionName || '(anonymous)'} ${original ?? `${file}:${String(lineNumber + 1)}`}`;
    totals.set(name, (totals.get(name) ?? 0) + micros);
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({
      name,
      ms: micros / 1000,
      share: total === 0 ? 0 : micros / total,
    }));
}

/** Maps a bundle position to its source ("renderer/sell/queries.ts:31"), or null. */
export type Resolver = (url: string, line: number, column: number) => string | null;

/**
 * Resolves positions in the built POS (dist/renderer/assets/*.js) through their source maps, so
 * a profile of the minified bundle names the source files.
 */
export function bundleResolver(assetsDir = 'dist/renderer/assets'): Resolver {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const base = url.split('/').at(-1) ?? '';
    if (!url.includes('/assets/') || !base.endsWith('.js')) return null;
    if (!maps.has(base)) {
      const file = path.join(assetsDir, `${base}.map`);
      maps.set(
        base,
        existsSync(file)
          ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
          : null,
      );
    }
    const entry = maps.get(base)?.findEntry(line, column);
    // findEntry answers {} for a position outside the map.
    if (!entry || !('originalSource' in entry) || typeof entry.originalSource !== 'string')
      return null;
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, '');
    return `${source}:${String(entry.originalLine + 1)}`;
  };
}

export function formatSelfTimes(rows: readonly SelfTime[]): string {
  return rows
    .map(
      (row) =>
        `${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`,
    )
    .join('\n');
}

/** `tsx bench/kit/profile-newterm.ts <file.cpuprofile> [count]` prints the top functions. */
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const [file, count] = process.argv.slice(2);
  if (file === undefined) throw new Error('Usage: profile-newterm.ts <file.cpuprofile> [count]');
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  process.stdout.write(
    `${formatSelfTimes(topSelfTime(profile, Number(count ?? 15), bundleResolver()))}\n`,
  );
}
