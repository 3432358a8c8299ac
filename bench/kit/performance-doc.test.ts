import { describe, expect, it } from 'vitest';
import { checkoutSeries, latestBlock, replaceLatestBlock } from './performance-doc.ts';
import type { BenchRun } from './report.ts';

const run: BenchRun = {
  date: '2026-11-27T14:00:00.000Z',
  quick: false,
  only: [],
  machine: {
    cpu: 'AMD EPYC',
    cores: 2,
    memoryGiB: 24,
    os: 'linux',
    node: 'v20',
    chromium: 'Chromium 156',
    postgres: 'PostgreSQL 15',
  },
  revision: { commit: 'abcdef0123456789', dirty: false },
  results: [
    {
      id: 'checkout',
      number: 1,
      title: 'Checkout',
      seconds: 1,
      figures: [{ label: 'p95 at 100,000', value: 42, unit: 'ms', target: { op: '<', value: 30 } }],
      details: {
        checkoutBySize: [
          { pastSales: 0, p50: 5, p95: 8, floorP50: 1, floorP95: 2 },
          { pastSales: 100_000, p50: 20, p95: 42, floorP50: 1, floorP95: 2 },
          { pastSales: 'broken' },
        ],
      },
      notes: ['seeded in 40 s'],
    },
  ],
};

describe('the generated block of docs/PERFORMANCE.md', () => {
  it('holds the machine, the commit, the table with verdicts and the notes', () => {
    const block = latestBlock(run);
    expect(block).toContain('commit `abcdef0`');
    expect(block).toContain('AMD EPYC, 2 cores');
    expect(block).toContain('| 1. Checkout | p95 at 100,000 | 42 ms | < 30 ms | MISSED |');
    expect(block).toContain('- 1. seeded in 40 s');
  });

  it('replaces only what lies between the markers', () => {
    const document = 'intro\n<!-- bench:latest:start -->\nold\n<!-- bench:latest:end -->\nafter\n';
    const updated = replaceLatestBlock(document, latestBlock(run));
    expect(updated.startsWith('intro\n<!-- bench:latest:start -->')).toBe(true);
    expect(updated.endsWith('<!-- bench:latest:end -->\nafter\n')).toBe(true);
    expect(updated).not.toContain('old');
  });

  it('refuses a document that lost its markers instead of writing the table nowhere', () => {
    expect(() => replaceLatestBlock('no markers', 'block')).toThrow(/markers/);
  });
});

describe('checkoutSeries', () => {
  it('keeps only well-formed points of the checkout benchmark', () => {
    expect(checkoutSeries(run).map((point) => point.pastSales)).toEqual([0, 100_000]);
  });
});
