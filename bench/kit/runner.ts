import type { BenchContext, Scenario, ScenarioResult } from './types.ts';

export type RunOptions = {
  readonly quick: boolean;
  /** Scenario ids to run; empty runs them all. */
  readonly only: readonly string[];
  readonly log: (message: string) => void;
};

export function contextFor(options: RunOptions): BenchContext {
  return {
    quick: options.quick,
    log: options.log,
    size: (full, quick) => (options.quick ? quick : full),
  };
}

/** The scenarios `--only` picks, in the order; an unknown id is an error. */
export function selectScenarios(all: readonly Scenario[], only: readonly string[]): Scenario[] {
  const unknown = only.filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    const known = all.map((scenario) => scenario.id).join(', ');
    throw new Error(`No benchmark called ${unknown.join(', ')}. The benchmarks are: ${known}.`);
  }
  const picked = only.length === 0 ? all : all.filter((scenario) => only.includes(scenario.id));
  return [...picked].sort((a, b) => a.number - b.number);
}

/**
 * Runs the scenarios one after another (never side by side: they would disturb each other's
 * timings). A scenario that throws is recorded as broken and the others still run.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: RunOptions,
): Promise<ScenarioResult[]> {
  const ctx = contextFor(options);
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const { id, number, title } = scenario;
    options.log(`▶ ${String(number)}. ${title}`);
    const start = performance.now();
    try {
      const outcome = await scenario.run(ctx);
      const seconds = (performance.now() - start) / 1000;
      results.push({ id, number, title, seconds, ...outcome });
      options.log(`  done in ${seconds.toFixed(1)} s`);
    } catch (error) {
      const seconds = (performance.now() - start) / 1000;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ id, number, title, seconds, figures: [], error: message });
      options.log(`  BROKEN after ${seconds.toFixed(1)} s: ${message}`);
    }
  }
  return results;
}
