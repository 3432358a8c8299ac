import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compactionsIn,
  overlapping,
  profileCompactions,
  waitForQuietStorage,
} from './leveldb-log.ts';

const at = (time: string) => new Date(`2026-11-28T${time}`).getTime();

const LOG = [
  '2026/11/28-00:49:57.100 581e Compacting 1@2 + 9@3 files',
  '2026/11/28-00:49:57.200 581f Level-0 table #731: started',
  '2026/11/28-00:49:57.300 581f Compacting 1@1 + 2@2 files',
  '2026/11/28-00:49:57.859 581e Compacted 1@2 + 9@3 files => 20276614 bytes',
  '2026/11/28-00:49:58.924 581f Compacted 1@1 + 2@2 files => 1312947 bytes',
  '2026/11/28-00:50:02.368 5820 Compacting 1@2 + 11@3 files',
].join('\n');

describe("LevelDB's log of IndexedDB compactions", () => {
  it('pairs each Compacting with the Compacted of its thread; one still running ends now', () => {
    expect(compactionsIn(LOG, at('00:50:05'))).toEqual([
      { start: at('00:49:57.100'), end: at('00:49:57.859') },
      { start: at('00:49:57.300'), end: at('00:49:58.924') },
      { start: at('00:50:02.368'), end: at('00:50:05') },
    ]);
  });

  it('counts the windows that overlap a compaction', () => {
    const compactions = compactionsIn(LOG, at('00:50:05'));
    const windows: [number, number][] = [
      [at('00:49:50'), at('00:49:57.150')],
      [at('00:49:59'), at('00:50:02')],
      [at('00:50:04'), at('00:50:06')],
    ];
    expect(overlapping(windows, compactions)).toBe(2);
  });

  describe('in a profile directory', () => {
    let dir = '';
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads every IndexedDB log and waits until none has compacted for a while', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'entitle-leveldb-log-'));
      expect(await profileCompactions(dir)).toEqual([]);
      const store = path.join(dir, 'Default', 'IndexedDB', 'http_127.0.0.1_1.indexeddb.leveldb');
      await mkdir(store, { recursive: true });
      await writeFile(path.join(store, 'LOG'), LOG);
      expect(await profileCompactions(dir)).toHaveLength(3);
      // The log's last compaction is still running: never quiet within maxMs.
      const busy = await waitForQuietStorage(dir, { quietMs: 50, maxMs: 120, pollMs: 20 });
      expect(busy.quiet).toBe(false);
      await writeFile(path.join(store, 'LOG'), LOG.split('\n').slice(0, 5).join('\n'));
      expect(await waitForQuietStorage(dir, { quietMs: 50, maxMs: 1000, pollMs: 20 })).toEqual({
        waitedMs: expect.any(Number) as number,
        quiet: true,
      });
    });
  });
});
