import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleResolver } from './bundle-resolver.ts';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './cpu-profile.ts';

const root = '/repo';
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

/** root → handler (ours) → execute (kysely) → run (native); idle beside it. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    { id: 2, callFrame: frame('handler', 'file:///repo/sync-server/sync/push.ts'), children: [3] },
    {
      id: 3,
      callFrame: frame('execute', 'file:///repo/node_modules/kysely/dist/esm/index.js'),
      children: [4],
    },
    { id: 4, callFrame: frame('run', '') },
    { id: 5, callFrame: frame('(idle)', '') },
  ],
  startTime: 1000,
  endTime: 2000,
  // Microseconds: run 300, execute 100, handler 100, idle 500.
  samples: [4, 4, 4, 3, 2, 5, 5, 5, 5, 5],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
};

describe('summarizeProfile', () => {
  it('sums self time per function and package, and charges it to our innermost caller', () => {
    const summary = summarizeProfile(profile, { root });
    expect(summary.totalMs).toBeCloseTo(1);
    expect(summary.idleMs).toBeCloseTo(0.5);
    expect(summary.functions.map((row) => [row.name, row.ms])).toEqual([
      ['run (native)', 0.3],
      ['execute kysely:10', 0.1],
      ['handler sync-server/sync/push.ts', 0.1],
    ]);
    expect(summary.functions[0]?.share).toBeCloseTo(0.6);
    expect(summary.files.map((row) => row.name)).toEqual([
      '(native)',
      'kysely',
      'sync-server/sync/push.ts',
    ]);
    expect(summary.ours).toEqual([{ name: 'handler sync-server/sync/push.ts', ms: 0.5, share: 1 }]);
    // Inclusive: our functions by default, or those matching a pattern.
    expect(summary.inclusive).toEqual([
      { name: 'handler sync-server/sync/push.ts', ms: 0.5, share: 1 },
    ]);
    expect(
      summarizeProfile(profile, { root, inclusive: /kysely|push/ }).inclusive.map((row) => [
        row.name,
        row.ms,
      ]),
    ).toEqual([
      ['handler sync-server/sync/push.ts', 0.5],
      ['execute kysely:10', 0.4],
    ]);
  });

  it('counts only the samples inside the window', () => {
    // Samples land at 1100, 1200, ... 2000: the first three (run) only.
    const summary = summarizeProfile(profile, { root, window: [1050, 1350] });
    expect(summary.totalMs).toBeCloseTo(0.3);
    expect(summary.functions.map((row) => row.name)).toEqual(['run (native)']);
  });

  it('names bundle positions by their sources through the resolver', () => {
    const bundle = 'http://127.0.0.1:4173/assets/index-abc.js';
    const page: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2] },
        {
          id: 2,
          callFrame: { functionName: 'Oe', url: bundle, lineNumber: 0, columnNumber: 5 },
          children: [3],
        },
        {
          id: 3,
          callFrame: { functionName: 'qt', url: bundle, lineNumber: 0, columnNumber: 40 },
          children: [4],
        },
        { id: 4, callFrame: { functionName: 'Zr', url: bundle, lineNumber: 0, columnNumber: 90 } },
      ],
      startTime: 0,
      endTime: 400,
      samples: [3, 3, 3, 4],
      timeDeltas: [100, 100, 100, 100],
    };
    const sources: Record<number, { source: string; line: number }> = {
      5: { source: 'renderer/sell/queries.ts', line: 30 },
      40: { source: 'node_modules/dexie/dist/dexie.mjs', line: 1200 },
    };
    const summary = summarizeProfile(page, {
      root,
      resolve: (url, _line, column) => (url === bundle ? (sources[column] ?? null) : null),
    });
    expect(summary.functions.map((row) => [row.name, row.ms])).toEqual([
      ['qt dexie/dist/dexie.mjs:1201', 0.3],
      // Not resolved: the script's path, line and column.
      ['Zr assets/index-abc.js:1:91', 0.1],
    ]);
    expect(summary.files.map((row) => row.name)).toEqual(['dexie', 'assets/index-abc.js']);
    // The package's time is charged to our source function calling it.
    expect(summary.ours.map((row) => [row.name, row.ms])).toEqual([
      ['Oe renderer/sell/queries.ts', 0.3],
      ['Zr assets/index-abc.js', 0.1],
    ]);
  });

  it('resolves positions in the built bundle through its source maps', async () => {
    const assets = await mkdtemp(path.join(tmpdir(), 'entitle-bundle-resolver-'));
    try {
      await writeFile(
        path.join(assets, 'index-abc.js.map'),
        JSON.stringify({
          version: 3,
          sources: [
            '../../../renderer/sell/queries.ts',
            '../../../node_modules/dexie/dist/dexie.mjs',
          ],
          names: [],
          // Line 0: column 0 from queries.ts line 0, column 10 from dexie.mjs line 2.
          mappings: 'AAAA,UCEA',
        }),
      );
      const resolve = bundleResolver(assets);
      expect(resolve('http://127.0.0.1:4173/assets/index-abc.js', 0, 3)).toEqual({
        source: 'renderer/sell/queries.ts',
        line: 0,
      });
      expect(resolve('http://127.0.0.1:4173/assets/index-abc.js', 0, 12)).toEqual({
        source: 'node_modules/dexie/dist/dexie.mjs',
        line: 2,
      });
      // No map beside it, or not a bundle at all.
      expect(resolve('http://127.0.0.1:4173/assets/other.js', 0, 0)).toBeNull();
      expect(resolve('file:///repo/sync-server/main.ts', 0, 0)).toBeNull();
    } finally {
      await rm(assets, { recursive: true, force: true });
    }
  });

  it('formats Markdown tables', () => {
    const text = formatProfileSummary(summarizeProfile(profile, { root }), 'Server');
    expect(text).toContain('### Server');
    expect(text).toContain('| `run (native)` | 0 | 60.0 % |');
  });
});
