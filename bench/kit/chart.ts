/** A small line chart as SVG, drawn from the benchmark's own figures (no chart library). */

export type ChartSeries = {
  readonly name: string;
  readonly colour: string;
  readonly values: readonly number[];
  readonly dashed?: boolean;
};

export type LineChart = {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** One label per point, evenly spaced (the sizes are categories, not a linear axis). */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** A horizontal line: the target. */
  readonly threshold?: { readonly label: string; readonly value: number };
};

const WIDTH = 640;
const HEIGHT = 360;
const PLOT = { left: 64, right: 180, top: 40, bottom: 56 };

const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A round axis maximum above `value`: 1, 2 or 5 times a power of ten. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

export function renderLineChart(chart: LineChart): string {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const finite = chart.series.flatMap((series) => series.values.filter(Number.isFinite));
  const yMax = niceCeiling(Math.max(...finite, chart.threshold?.value ?? 0) * 1.1);
  const count = chart.categories.length;
  const xOf = (index: number): number =>
    PLOT.left + (count <= 1 ? plotWidth / 2 : (index / (count - 1)) * plotWidth);
  const yOf = (value: number): number => PLOT.top + plotHeight - (value / yMax) * plotHeight;
  const text = (x: number, y: number, body: string, extra = ''): string =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${escapeXml(body)}</text>`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(PLOT.left, 22, chart.title, 'font-size="15" font-weight="bold"'),
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (yMax / 4) * tick;
    const y = yOf(value);
    parts.push(
      `<line x1="${String(PLOT.left)}" x2="${String(PLOT.left + plotWidth)}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`,
      text(PLOT.left - 8, y + 4, String(Math.round(value * 100) / 100), 'text-anchor="end"'),
    );
  }
  chart.categories.forEach((category, index) => {
    parts.push(text(xOf(index), PLOT.top + plotHeight + 20, category, 'text-anchor="middle"'));
  });
  parts.push(
    text(PLOT.left + plotWidth / 2, HEIGHT - 12, chart.xLabel, 'text-anchor="middle"'),
    text(
      16,
      PLOT.top + plotHeight / 2,
      chart.yLabel,
      `text-anchor="middle" transform="rotate(-90 16 ${String(PLOT.top + plotHeight / 2)})"`,
    ),
  );
  if (chart.threshold !== undefined) {
    const y = yOf(chart.threshold.value);
    parts.push(
      `<line x1="${String(PLOT.left)}" x2="${String(PLOT.left + plotWidth)}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
      text(PLOT.left + plotWidth + 8, y + 4, chart.threshold.label, 'fill="#c0392b"'),
    );
  }
  chart.series.forEach((series, seriesIndex) => {
    const points = series.values
      .map((value, index) =>
        Number.isFinite(value) ? `${xOf(index).toFixed(1)},${yOf(value).toFixed(1)}` : null,
      )
      .filter((point): point is string => point !== null);
    const dash = series.dashed === true ? ' stroke-dasharray="3 3"' : '';
    parts.push(
      `<polyline fill="none" stroke="${series.colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
      ...points.map((point) => {
        const [x, y] = point.split(',');
        return `<circle cx="${x ?? '0'}" cy="${y ?? '0'}" r="3" fill="${series.colour}"/>`;
      }),
    );
    const legendY = PLOT.top + 8 + seriesIndex * 20;
    const legendX = PLOT.left + plotWidth + 8;
    parts.push(
      `<line x1="${String(legendX)}" x2="${String(legendX + 18)}" y1="${String(legendY)}" y2="${String(legendY)}" stroke="${series.colour}" stroke-width="2"${dash}/>`,
      text(legendX + 24, legendY + 4, series.name),
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
