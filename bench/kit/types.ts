/** What a benchmark reports. A benchmark measures; it never fails a build for being slow. */

export type Unit = 'ms' | 's' | 'sales/s' | 'req/s' | 'MB' | 'errors' | 'x' | 'count';

/** A goal from issue #7: `<` for times and sizes, `>=` for rates and ratios. */
export type Target = { readonly op: '<' | '>='; readonly value: number };

export type Figure = {
  /** Short, specific: "p95 at 100,000 past sales", "PostgreSQL sales/s". */
  readonly label: string;
  /** `null` when the figure could not be measured (say why in `note`). */
  readonly value: number | null;
  readonly unit: Unit;
  readonly target?: Target;
  readonly note?: string;
};

export type ScenarioOutcome = {
  readonly figures: readonly Figure[];
  /** Raw series (latency samples per size, per-rate rows, ...) kept in the JSON, not the table. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** One-line observations printed under the table and kept in the JSON. */
  readonly notes?: readonly string[];
};

export type ScenarioResult = ScenarioOutcome & {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly seconds: number;
  /** Set when the scenario threw: the benchmark itself is broken (the only failing exit). */
  readonly error?: string;
};

export type BenchContext = {
  /** `--quick`: tiny sizes, a smoke test that the benchmark still works (CI). */
  readonly quick: boolean;
  /** Progress on stderr, so a long run shows where it is. */
  log(message: string): void;
  /** Picks the full or the quick size: `ctx.size(100_000, 200)`. */
  size(full: number, quick: number): number;
};

export type Scenario = {
  /** Kebab-case, used by `--only`: `checkout`, `sync-push`. */
  readonly id: string;
  /** The item's number in issue #7 (1-9), for ordering the table. */
  readonly number: number;
  readonly title: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
};

export type Verdict = 'met' | 'missed' | 'none';

export function verdictOf(figure: Figure): Verdict {
  if (figure.target === undefined || figure.value === null) return 'none';
  const { op, value } = figure.target;
  const met = op === '<' ? figure.value < value : figure.value >= value;
  return met ? 'met' : 'missed';
}
