/**
 * `tsx bench/kit/profile-load.ts <file.cpuprofile> [top]`: a V8 CPU profile's functions by self
 * time (where the CPU was), with their share of the busy time (idle left out), and the inclusive
 * time of the project's own functions (what a call costs with everything under it).
 */
import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
export type ProfileLine = { readonly name: string; readonly ms: number; readonly share: number };

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|main)\//, '$1/');
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return file === '' ? name : `${name} ${file}:${String(frame.lineNumber + 1)}`;
}

/** Self time per function, and inclusive time of functions in the project's own files. */
export function summarizeProfile(
  profile: CpuProfile,
  top = 15,
): { busyMs: number; self: ProfileLine[]; inclusive: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busyUs += us;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      const label = frameName(frame);
      const own =
        /\/(sync-server|shared)\//.test(frame.url) && !frame.url.includes('/node_modules/');
      if (own && !seen.has(label)) {
        seen.add(label);
        inclusive.set(label, (inclusive.get(label) ?? 0) + us);
      }
    }
  });
  const lines = (map: Map<string, number>): ProfileLine[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: busyUs === 0 ? 0 : us / busyUs,
      }));
  return { busyMs: Math.round(busyUs / 1000), self: lines(self), inclusive: lines(inclusive) };
}

if (process.argv[1]?.endsWith('profile-load.ts') === true) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined)
    throw new Error('Usage: tsx bench/kit/profile-load.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, Number(top ?? 15));
  const print = (line: ProfileLine): string =>
    `${String(line.ms).padStart(7)} ms ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.name}`;
  process.stdout.write(`busy ${String(summary.busyMs)} ms\n\nself time:\n`);
  process.stdout.write(`${summary.self.map(print).join('\n')}\n\ninclusive (project code):\n`);
  process.stdout.write(`${summary.inclusive.map(print).join('\n')}\n`);
}
