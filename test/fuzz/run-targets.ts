import { afterAll, beforeAll, expect, it } from 'vitest';
import { fuzzRoute, runsOf } from './fuzz-kit.ts';
import { DEFAULT_RUNS, type Target } from './target.ts';
import { fuzzWorld, type World } from './world.ts';

/**
 * One `it` per target, all against one world: refused requests change nothing, so sharing it is
 * safe, and accepted ones only move the snapshot on (fuzz-kit's fuzzRoute).
 */
export function fuzzTargets(targets: readonly Target[]): void {
  let w: World;
  beforeAll(async () => {
    w = await fuzzWorld();
  });
  afterAll(async () => {
    await w.close();
  });
  for (const target of targets) {
    it(`${target.route}: no 5xx, refusals say why and change nothing`, async () => {
      const counts = await fuzzRoute(w.t, target.route, await target.requests(w), {
        numRuns: runsOf(target.runs ?? DEFAULT_RUNS),
        ...(target.upstream ? { upstream: target.upstream } : {}),
      });
      // FUZZ_STATS=1 prints what each route answered (status and error code, with counts).
      if (process.env.FUZZ_STATS)
        process.stdout.write(`${target.route} ${JSON.stringify([...counts.answers])}\n`);
      expect(counts.refused + counts.accepted).toBe(runsOf(target.runs ?? DEFAULT_RUNS));
    });
  }
}
