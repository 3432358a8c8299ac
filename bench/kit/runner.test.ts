import { describe, expect, it } from 'vitest';
import { runScenarios, selectScenarios } from './runner.ts';
import type { Scenario } from './types.ts';

const quiet = (): void => undefined;

function scenario(id: string, number: number, run: Scenario['run']): Scenario {
  return { id, number, title: id, run };
}

describe('selectScenarios', () => {
  const all = [
    scenario('b', 2, () => Promise.resolve({ figures: [] })),
    scenario('a', 1, () => Promise.resolve({ figures: [] })),
  ];

  it('runs every scenario in the issue’s order when none is named', () => {
    expect(selectScenarios(all, []).map((picked) => picked.id)).toEqual(['a', 'b']);
  });

  it('names the benchmarks that exist when asked for one that does not', () => {
    expect(() => selectScenarios(all, ['c'])).toThrow(/No benchmark called c.*a, b|b, a/);
  });
});

describe('runScenarios', () => {
  it('records a scenario that throws as broken and still runs the next one', async () => {
    const results = await runScenarios(
      [
        scenario('broken', 1, () => Promise.reject(new Error('no browser'))),
        scenario('fine', 2, (ctx) =>
          Promise.resolve({ figures: [{ label: 'size', value: ctx.size(100, 1), unit: 'count' }] }),
        ),
      ],
      { quick: true, only: [], log: quiet },
    );
    expect(results[0]?.error).toMatch(/no browser/);
    expect(results[1]?.error).toBeUndefined();
    expect(results[1]?.figures[0]?.value).toBe(1);
  });
});
