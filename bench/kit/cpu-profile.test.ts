import { describe, expect, it } from 'vitest';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './profile-push.ts';

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
  });

  it('counts only the samples inside the window', () => {
    // Samples land at 1100, 1200, ... 2000: the first three (run) only.
    const summary = summarizeProfile(profile, { root, window: [1050, 1350] });
    expect(summary.totalMs).toBeCloseTo(0.3);
    expect(summary.functions.map((row) => row.name)).toEqual(['run (native)']);
  });

  it('formats Markdown tables', () => {
    const text = formatProfileSummary(summarizeProfile(profile, { root }), 'Server');
    expect(text).toContain('### Server');
    expect(text).toContain('| `run (native)` | 0 | 60.0 % |');
  });
});
