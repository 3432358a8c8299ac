/**
 * `tsx bench/kit/profile-pushfast.ts <file.cpuprofile> [--top 15] [--inclusive <regex>]`: the top
 * functions of a V8 CPU profile by self time (where the CPU actually was), with their share of
 * the busy time (everything but idle, GC shown on its own), and optionally the inclusive time of
 * the functions whose name or file matches a pattern (what a call costs with everything it calls).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};

export type ProfileLine = { readonly name: string; readonly ms: number; readonly share: number };

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|main)\//, '$1/');
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return file === '' ? name : `${name} ${file}:${String(frame.lineNumber + 1)}`;
}

/** Self time per function (summed over its nodes), busiest first; idle left out of the shares. */
export function summarizeProfile(
  profile: CpuProfile,
  options: { readonly top?: number; readonly inclusive?: RegExp } = {},
): { busyMs: number; self: ProfileLine[]; inclusive: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = frameName(node.callFrame);
    if (node.callFrame.functionName === '(idle)') continue;
    busyUs += us;
    self.set(name, (self.get(name) ?? 0) + us);
    if (options.inclusive) {
      // Each matching function on the stack counts once per sample (recursion not doubled).
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (!frame) break;
        const label = frameName(frame);
        if (!seen.has(label) && options.inclusive.test(label)) {
          seen.add(label);
          inclusive.set(label, (inclusive.get(label) ?? 0) + us);
        }
      }
    }
  }
  const lines = (map: Map<string, number>): ProfileLine[] =>
    [...map]
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, options.top ?? 15);
  return { busyMs: busyUs / 1000, self: lines(self), inclusive: lines(inclusive) };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' }, inclusive: { type: 'string' } },
  });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile, {
      top: Number(values.top),
      ...(values.inclusive === undefined ? {} : { inclusive: new RegExp(values.inclusive) }),
    });
    const print = (line: ProfileLine): string =>
      `${line.ms.toFixed(0).padStart(7)} ms ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.name}`;
    process.stdout.write(`${file}: ${summary.busyMs.toFixed(0)} ms busy (idle left out)\n`);
    process.stdout.write(`Self time:\n${summary.self.map(print).join('\n')}\n`);
    if (summary.inclusive.length > 0) {
      process.stdout.write(`Inclusive time:\n${summary.inclusive.map(print).join('\n')}\n`);
    }
  }
}
