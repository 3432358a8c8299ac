import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.ts';

describe('barChart', () => {
  it('is an accessible image with a title, a description and one bar per value', () => {
    const svg = barChart({
      id: 'by-day',
      title: 'Net sales by day',
      bars: [
        { label: '25 Nov', value: 1000, display: '€10.00' },
        { label: '26 Nov', value: 4000, display: '€40.00' },
      ],
    }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="by-day-title by-day-desc"');
    expect(svg).toContain('<title id="by-day-title">Net sales by day</title>');
    expect(svg).toContain('25 Nov: €10.00; 26 Nov: €40.00');
    const widths = [...svg.matchAll(/<rect\s[^>]*\swidth="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    // Proportional: the larger value gets the full plot, the smaller a quarter of it.
    expect(widths[0]! / widths[1]!).toBeCloseTo(0.25, 2);
  });

  it('escapes labels and draws a negative value left of zero in another colour', () => {
    const svg = barChart({
      id: 'x',
      title: 'T',
      bars: [
        { label: '<script>', value: -500, display: '−€5.00' },
        { label: 'ok', value: 500, display: '€5.00' },
      ],
    }).value;
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('fill="#c0392b"');
  });
});
