/**
 * The top functions of a V8 CPU profile (.cpuprofile, from Node's --cpu-prof or CDP
 * Profiler.stop) by self time, with their file and line: where the time went.
 * `npx tsx bench/kit/profile-till.ts file.cpuprofile [top]`
 */
import { readFile } from 'node:fs/promises';

type ProfileNode = {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children?: readonly number[];
};
export type CpuProfile = {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
};

export type SelfTime = { readonly name: string; readonly where: string; readonly ms: number };

/** Self time per function (summed over its call sites), largest first. */
export function topSelfTime(profile: CpuProfile, top = 15): SelfTime[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, index) => {
    byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url.split('/').at(-1) ?? url;
    const where = url === '' ? '' : `${file}:${String(lineNumber + 1)}:${String(columnNumber + 1)}`;
    const name = functionName === '' ? '(anonymous)' : functionName;
    const key = `${name}@${where}`;
    const previous = byFunction.get(key);
    byFunction.set(key, { name, where, ms: (previous?.ms ?? 0) + micros / 1000 });
  }
  return [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
}

export function formatSelfTime(profile: CpuProfile, top = 15): string {
  const total = (profile.endTime - profile.startTime) / 1000;
  const rows = topSelfTime(profile, top).map(
    (row) =>
      `${row.ms.toFixed(1).padStart(9)} ms  ${((row.ms / total) * 100).toFixed(1).padStart(5)}%  ${row.name}  ${row.where}`,
  );
  return [`profile: ${total.toFixed(0)} ms in all`, ...rows].join('\n');
}

if (process.argv[1]?.endsWith('profile-till.ts')) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) throw new Error('Usage: profile-till.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${formatSelfTime(profile, Number(top ?? 15))}\n`);
}
