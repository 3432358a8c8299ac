import { describe, expect, it } from 'vitest';
import { percentile, rounded, summarize } from './stats.ts';

describe('percentile', () => {
  it('takes the nearest rank, whatever the order of the samples', () => {
    const samples = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('reports count, extremes, mean and the percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summarize(samples)).toEqual({
      n: 100,
      min: 1,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
      mean: 50.5,
    });
  });
});

describe('rounded', () => {
  it('keeps more decimals for small figures', () => {
    expect(rounded(3.14159)).toBe(3.14);
    expect(rounded(31.4159)).toBe(31.4);
    expect(rounded(314.159)).toBe(314);
  });
});
