/**
 * Reads a V8 CPU profile (.cpuprofile, from `node --cpu-prof` or the inspector's Profiler) and
 * sums self time per function and per file, optionally only for samples inside a window of the
 * monotonic clock (microseconds, as `process.hrtime.bigint() / 1000n` in any process on the
 * machine: V8's profile timestamps use the same clock).
 */

type ProfileNode = {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
};

export type CpuProfile = {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
};

export type SelfTime = { readonly name: string; readonly ms: number; readonly share: number };

export type ProfileSummary = {
  /** Milliseconds of samples counted (inside the window), idle included. */
  readonly totalMs: number;
  readonly idleMs: number;
  readonly functions: readonly SelfTime[];
  readonly files: readonly SelfTime[];
  /**
   * Busy time charged to the innermost function of our own code on the stack (not a package,
   * not Node): which of our functions the SQLite, kysely or zod time is spent for.
   */
  readonly ours: readonly SelfTime[];
};

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `node_modules/kysely/dist/...` → `kysely`; our files relative to the repository. */
function fileOf(url: string, root: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('data:')) return '(inline module)';
  const plain = url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(plain);
  if (modules?.[1] !== undefined) return modules[1];
  if (plain.startsWith('node:')) return plain;
  return plain.startsWith(root) ? plain.slice(root.length + 1) : plain;
}

/** Packages keep their lines; tsx's transpiled modules of ours all report line 1: left out. */
function lineOf(url: string, lineNumber: number): string {
  return url.includes('node_modules') ? `:${String(lineNumber + 1)}` : '';
}

export function summarizeProfile(
  profile: CpuProfile,
  options: {
    readonly root?: string;
    readonly top?: number;
    readonly window?: readonly [number, number];
  } = {},
): ProfileSummary {
  const root = options.root ?? process.cwd();
  const top = options.top ?? 15;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const isOurs = (node: ProfileNode) => {
    const { url } = node.callFrame;
    return url !== '' && !url.includes('node_modules') && !url.startsWith('node:');
  };
  const ourFrame = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = ourFrame.get(id);
    if (known !== undefined) return known;
    let current = byId.get(id);
    while (current && !isOurs(current)) {
      const parent = parents.get(current.id);
      current = parent === undefined ? undefined : byId.get(parent);
    }
    const name = current
      ? `${current.callFrame.functionName || '(anonymous)'} ${fileOf(current.callFrame.url, root)}`
      : '(no code of ours on the stack)';
    ourFrame.set(id, name);
    return name;
  };
  const perOurs = new Map<string, number>();
  const perFunction = new Map<string, number>();
  const perFile = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  for (const [index, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (options.window && (at < options.window[0] || at > options.window[1])) continue;
    const node = byId.get(id);
    if (!node) continue;
    totalUs += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += delta;
      continue;
    }
    const name = SPECIAL.has(functionName)
      ? functionName
      : `${functionName || '(anonymous)'} ${fileOf(url, root)}${lineOf(url, lineNumber)}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + delta);
    const owner = ownerOf(id);
    perOurs.set(owner, (perOurs.get(owner) ?? 0) + delta);
    const file = SPECIAL.has(functionName) ? functionName : fileOf(url, root);
    perFile.set(file, (perFile.get(file) ?? 0) + delta);
  }
  const busyUs = totalUs - idleUs;
  const ranked = (totals: Map<string, number>): SelfTime[] =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: ranked(perFunction),
    files: ranked(perFile),
    ours: ranked(perOurs),
  };
}

/** The summary as Markdown tables. */
export function formatProfileSummary(summary: ProfileSummary, title: string): string {
  const busy = summary.totalMs - summary.idleMs;
  const table = (rows: readonly SelfTime[], head: string) =>
    [
      `| ${head} | self ms | share of busy |`,
      '| --- | ---: | ---: |',
      ...rows.map(
        (row) => `| \`${row.name}\` | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)} % |`,
      ),
    ].join('\n');
  return [
    `### ${title}`,
    '',
    `${summary.totalMs.toFixed(0)} ms sampled, ${summary.idleMs.toFixed(0)} ms idle, ${busy.toFixed(0)} ms busy.`,
    '',
    table(summary.functions, 'Function (self time)'),
    '',
    table(summary.files, 'File or package (self time)'),
    '',
    table(summary.ours, 'Innermost function of ours on the stack (time below it)'),
  ].join('\n');
}
