import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';

/**
 * Where a position in a bundle came from: `source` relative to the repository
 * ("renderer/sell/queries.ts", "node_modules/dexie/dist/dexie.mjs"), `line` 0-based as in a
 * profile's call frames.
 */
export type SourcePosition = { readonly source: string; readonly line: number };

/** Maps a position in a script (0-based line and column) to its source, or null. */
export type Resolver = (url: string, line: number, column: number) => SourcePosition | null;

/**
 * Resolves positions in the built POS (dist/renderer/assets/*.js, as the page loads them from
 * `…/assets/<name>.js`) through their source maps, so a profile of the minified bundle names the
 * source files and lines. Scripts without a map beside them resolve to null.
 */
export function bundleResolver(assetsDir = 'dist/renderer/assets'): Resolver {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const base = url.split(/[?#]/)[0]?.split('/').at(-1) ?? '';
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
    // The maps name their sources relative to the assets folder: ../../../renderer/...
    return { source: entry.originalSource.replace(/^(\.\.\/)+/, ''), line: entry.originalLine };
  };
}
