/**
 * Reads a V8 CPU profile (.cpuprofile: from `node --cpu-prof`, the inspector's Profiler in Node
 * (bench/kit/server-profiler.ts) or a page's CDP Profiler) and sums, busy time only:
 * - self time per function (where the CPU was) and per file or package;
 * - the time below the innermost function of our own code on the stack (which of our functions
 *   the SQLite, kysely or zod time is spent for);
 * - inclusive time per function (what a call costs with everything it calls): our functions, or
 *   those whose name matches a pattern.
 * Optionally only for samples inside a window of the monotonic clock (microseconds, as
 * `process.hrtime.bigint() / 1000n` in any process on the machine: V8's profile timestamps use
 * the same clock), and optionally with positions in a bundle resolved to their sources
 * (bench/kit/bundle-resolver.ts: a profile of the minified POS names renderer/… files).
 *
 * `npx tsx bench/kit/cpu-profile.ts <file.cpuprofile>... [top] [--inclusive <regex>]
 * [--assets dist/renderer/assets]` prints the summary of each file as Markdown.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleResolver, type Resolver } from './bundle-resolver.ts';

type ProfileNode = {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber?: number;
  };
};

export type CpuProfile = {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
};

export type ProfileRow = { readonly name: string; readonly ms: number; readonly share: number };

export type ProfileSummary = {
  /** Milliseconds of samples counted (inside the window), idle included. */
  readonly totalMs: number;
  readonly idleMs: number;
  /** Self time per function; shares are of the busy time (total less idle). */
  readonly functions: readonly ProfileRow[];
  readonly files: readonly ProfileRow[];
  /**
   * Busy time charged to the innermost function of our own code on the stack (not a package,
   * not Node): which of our functions the SQLite, kysely or zod time is spent for.
   */
  readonly ours: readonly ProfileRow[];
  /**
   * Inclusive time: each sample counted once for every function on its stack that is ours (or
   * matches the `inclusive` pattern), however often it recurs.
   */
  readonly inclusive: readonly ProfileRow[];
};

export type SummaryOptions = {
  /** The repository: our files are named relative to it. Default: the working directory. */
  readonly root?: string;
  /** Rows per table (default 15). */
  readonly top?: number;
  /** Only the samples taken inside [from, to] (microseconds of the monotonic clock). */
  readonly window?: readonly [number, number];
  /** Maps bundle positions to their sources (bundleResolver for the built POS). */
  readonly resolve?: Resolver;
  /** The functions (by their name in the tables) to list inclusive time for; default ours. */
  readonly inclusive?: RegExp;
};

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `node_modules/kysely/dist/...` → `kysely`; our files relative to the repository. */
function fileOf(url: string, root: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('data:')) return '(inline module)';
  // A page's scripts: the path on the server (assets/index-abc.js).
  const plain = /^https?:/.test(url)
    ? new URL(url).pathname.slice(1)
    : url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(plain);
  if (modules?.[1] !== undefined) return modules[1];
  if (plain.startsWith('node:')) return plain;
  return plain.startsWith(root) ? plain.slice(root.length + 1) : plain;
}

/**
 * Packages keep their lines, a page's scripts their lines and columns (a minified bundle is one
 * line); tsx's transpiled modules of ours all report line 1: left out.
 */
function lineOf(url: string, line: number, column: number | undefined): string {
  if (/^https?:/.test(url)) return `:${String(line + 1)}:${String((column ?? 0) + 1)}`;
  return url.includes('node_modules') ? `:${String(line + 1)}` : '';
}

type Frame = {
  /** As the tables name it: function, file or package, line where it means something. */
  readonly name: string;
  readonly file: string;
  readonly ours: boolean;
  /** Function and file, no line: the innermost-function-of-ours table's name. */
  readonly owner: string;
};

function frameOf(node: ProfileNode, root: string, resolve: Resolver | undefined): Frame {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  if (SPECIAL.has(functionName)) {
    return { name: functionName, file: functionName, ours: false, owner: functionName };
  }
  const fn = functionName || '(anonymous)';
  const original = url === '' ? null : (resolve?.(url, lineNumber, columnNumber ?? 0) ?? null);
  if (original) {
    const file = fileOf(original.source, root);
    return {
      name: `${fn} ${original.source.replace(/^node_modules\//, '')}:${String(original.line + 1)}`,
      file,
      ours: !original.source.includes('node_modules'),
      owner: `${fn} ${file}`,
    };
  }
  const file = fileOf(url, root);
  return {
    name: `${fn} ${file}${lineOf(url, lineNumber, columnNumber)}`,
    file,
    ours: url !== '' && !url.includes('node_modules') && !url.startsWith('node:'),
    owner: `${fn} ${file}`,
  };
}

export function summarizeProfile(
  profile: CpuProfile,
  options: SummaryOptions = {},
): ProfileSummary {
  const root = options.root ?? process.cwd();
  const top = options.top ?? 15;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map<number, Frame>();
  const frame = (node: ProfileNode): Frame => {
    let known = frames.get(node.id);
    if (known === undefined) {
      known = frameOf(node, root, options.resolve);
      frames.set(node.id, known);
    }
    return known;
  };
  const ourFrame = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = ourFrame.get(id);
    if (known !== undefined) return known;
    let current = byId.get(id);
    while (current && !frame(current).ours) {
      const parent = parents.get(current.id);
      current = parent === undefined ? undefined : byId.get(parent);
    }
    const name = current ? frame(current).owner : '(no code of ours on the stack)';
    ourFrame.set(id, name);
    return name;
  };
  const counted = (node: ProfileNode): boolean => {
    const { name, ours } = frame(node);
    return options.inclusive ? options.inclusive.test(name) : ours;
  };
  /** The distinct counted functions on a node's stack, computed once per node. */
  const stacks = new Map<number, readonly string[]>();
  const stackOf = (id: number): readonly string[] => {
    const known = stacks.get(id);
    if (known !== undefined) return known;
    const chain: ProfileNode[] = [];
    let below: readonly string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const cached = stacks.get(at);
      if (cached !== undefined) {
        below = cached;
        break;
      }
      const node = byId.get(at);
      if (!node) break;
      chain.push(node);
    }
    for (const node of chain.reverse()) {
      const name = frame(node).name;
      below = counted(node) && !below.includes(name) ? [...below, name] : below;
      stacks.set(node.id, below);
    }
    return below;
  };
  const perOurs = new Map<string, number>();
  const perFunction = new Map<string, number>();
  const perFile = new Map<string, number>();
  const perInclusive = new Map<string, number>();
  const add = (totals: Map<string, number>, name: string, us: number) =>
    totals.set(name, (totals.get(name) ?? 0) + us);
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
    if (node.callFrame.functionName === '(idle)') {
      idleUs += delta;
      continue;
    }
    const { name, file } = frame(node);
    add(perFunction, name, delta);
    add(perFile, file, delta);
    add(perOurs, ownerOf(id), delta);
    for (const label of stackOf(id)) add(perInclusive, label, delta);
  }
  const busyUs = totalUs - idleUs;
  const ranked = (totals: Map<string, number>): ProfileRow[] =>
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
    inclusive: ranked(perInclusive),
  };
}

/** The summary as Markdown tables. */
export function formatProfileSummary(summary: ProfileSummary, title: string): string {
  const busy = summary.totalMs - summary.idleMs;
  const table = (rows: readonly ProfileRow[], head: string, column = 'self ms') =>
    [
      `| ${head} | ${column} | share of busy |`,
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
    table(summary.ours, 'Innermost function of ours on the stack (time below it)', 'ms'),
    '',
    table(summary.inclusive, 'Function with everything it calls (inclusive time)', 'ms'),
  ].join('\n');
}

export async function readCpuProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href
) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string' },
      inclusive: { type: 'string' },
      assets: { type: 'string', default: 'dist/renderer/assets' },
    },
  });
  const last = positionals.at(-1);
  const topArg = last !== undefined && /^\d+$/.test(last) ? last : values.top;
  const files = positionals.filter((file) => file !== topArg);
  if (files.length === 0) {
    throw new Error(
      'Usage: tsx bench/kit/cpu-profile.ts <file.cpuprofile>... [top] [--inclusive <regex>] [--assets <dir>]',
    );
  }
  const resolve = bundleResolver(values.assets);
  for (const file of files) {
    const summary = summarizeProfile(await readCpuProfile(file), {
      top: Number(topArg ?? 15),
      resolve,
      ...(values.inclusive === undefined ? {} : { inclusive: new RegExp(values.inclusive) }),
    });
    process.stdout.write(`${formatProfileSummary(summary, file)}\n\n`);
  }
}
