import { readFile } from 'node:fs/promises';

/** A process's resident memory in MB, from /proc (Linux); null where /proc is unavailable. */
export async function residentMegabytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** Samples `pid`'s resident memory every `everyMs` until `stop()`, which returns the peak. */
export function sampleResidentMemory(
  pid: number,
  everyMs = 100,
): { stop(): Promise<number | null> } {
  let peak: number | null = null;
  const sample = async (): Promise<void> => {
    const now = await residentMegabytes(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  };
  const timer = setInterval(() => void sample(), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}
