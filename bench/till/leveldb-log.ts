import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Chromium keeps IndexedDB in LevelDB, which logs each background compaction to a `LOG` file
 * beside its tables ("2026/11/28-00:49:57.859 581f Compacting 1@2 + 9@3 files", then "Compacted
 * ..." from the same thread). Seeding 90,000 sales in a few minutes leaves minutes of compactions
 * behind it (seen: 20 MB rewrites still running five minutes later), which a till that sold them
 * over a year never has in one go. The checkout benchmark reads the log to wait for them to end
 * before timing, and to count the checkouts that still overlapped one.
 */
export type Compaction = { readonly start: number; readonly end: number };

const LINE =
  /^(\d{4})\/(\d{2})\/(\d{2})-(\d{2}):(\d{2}):(\d{2})\.(\d{3})\d* (\S+) (Compacting|Compacted)/;

/** Compactions in a LevelDB LOG's text, in ms since the epoch (the log is in local time). */
export function compactionsIn(text: string, now = Date.now()): Compaction[] {
  const open = new Map<string, number>();
  const found: Compaction[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, year, month, day, hour, minute, second, milli, thread = '', what] = match;
    const at = new Date(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      Number(milli),
    ).getTime();
    if (what === 'Compacting') open.set(thread, at);
    else {
      const start = open.get(thread);
      open.delete(thread);
      if (start !== undefined) found.push({ start, end: at });
    }
  }
  // One still running when the log was read lasts until now.
  for (const start of open.values()) found.push({ start, end: now });
  return found.sort((a, b) => a.start - b.start);
}

/** Every IndexedDB LevelDB LOG under a Chromium profile directory. */
export async function indexedDbLogs(profileDir: string): Promise<string[]> {
  const root = path.join(profileDir, 'Default', 'IndexedDB');
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  return entries
    .filter((name) => name.endsWith('.indexeddb.leveldb'))
    .map((name) => path.join(root, name, 'LOG'));
}

/** The compactions logged under a profile so far (a log not written yet holds none). */
export async function profileCompactions(profileDir: string): Promise<Compaction[]> {
  const all: Compaction[] = [];
  for (const file of await indexedDbLogs(profileDir)) {
    const text = await readFile(file, 'utf8').catch(() => '');
    all.push(...compactionsIn(text));
  }
  return all.sort((a, b) => a.start - b.start);
}

/**
 * Waits until no compaction has run for `quietMs` (at most `maxMs`); returns the ms waited and
 * whether the store went quiet.
 */
export async function waitForQuietStorage(
  profileDir: string,
  options: { readonly quietMs: number; readonly maxMs: number; readonly pollMs?: number },
): Promise<{ readonly waitedMs: number; readonly quiet: boolean }> {
  const started = Date.now();
  for (;;) {
    const last = (await profileCompactions(profileDir)).reduce(
      (latest, compaction) => Math.max(latest, compaction.end),
      0,
    );
    const now = Date.now();
    if (now - last >= options.quietMs) return { waitedMs: now - started, quiet: true };
    if (now - started >= options.maxMs) return { waitedMs: now - started, quiet: false };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

/** How many of the [start, end] windows overlap a compaction. */
export function overlapping(
  windows: readonly (readonly [number, number])[],
  compactions: readonly Compaction[],
): number {
  return windows.filter(([start, end]) =>
    compactions.some((compaction) => compaction.start <= end && compaction.end >= start),
  ).length;
}
