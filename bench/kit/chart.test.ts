import { describe, expect, it } from 'vitest';
import { niceCeiling, renderLineChart } from './chart.ts';

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(0.7)).toBe(1);
    expect(niceCeiling(13)).toBe(20);
    expect(niceCeiling(33)).toBe(50);
    expect(niceCeiling(120)).toBe(200);
    expect(niceCeiling(0)).toBe(1);
  });
});

describe('renderLineChart', () => {
  const svg = renderLineChart({
    title: 'Checkout <latency>',
    xLabel: 'past sales',
    yLabel: 'ms',
    categories: ['0', '10,000', '100,000'],
    series: [
      { name: 'p95', colour: '#1f77b4', values: [10, 12, 40] },
      { name: 'floor', colour: '#999999', values: [1, Number.NaN, 2], dashed: true },
    ],
    threshold: { label: 'target 30 ms', value: 30 },
  });

  it('draws one point per finite value and a legend entry per series', () => {
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('>p95</text>');
    expect(svg).toContain('>floor</text>');
    expect(svg).toContain('target 30 ms');
  });

  it('escapes text and puts a higher value higher on the page', () => {
    expect(svg).toContain('Checkout &lt;latency&gt;');
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)" r="3" fill="#1f77b4"/g)].map(
      (match) => Number(match[1]),
    );
    expect(ys).toHaveLength(3);
    expect(ys[2]).toBeLessThan(ys[0] ?? 0);
  });
});
