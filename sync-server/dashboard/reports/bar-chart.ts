import { html, type SafeHtml } from '../../redeem/html.ts';

export type Bar = { readonly label: string; readonly value: number; readonly display: string };

const WIDTH = 640;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 110;
const ROW = 26;
const BAR = 18;
const MAX_LABEL = 24;

/**
 * A horizontal bar chart as inline SVG, drawn on the server: no script (the CSP allows none) and
 * nothing to load. role="img" with a <title> and <desc> names it for screen readers; the page
 * puts the same numbers in a table below, which is what assistive technology should read.
 * Negative values (a day with more refunds than sales) are drawn left of the zero line.
 */
export function barChart(input: {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
}): SafeHtml {
  const { bars } = input;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const min = Math.min(0, ...bars.map((bar) => bar.value));
  const span = max - min || 1;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (value: number) => LABEL_WIDTH + ((value - min) / span) * plot;
  const zero = x(0);
  const height = Math.max(1, bars.length) * ROW + 8;
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  const rows = bars.map((bar, index) => {
    const y = 4 + index * ROW;
    const left = Math.min(zero, x(bar.value));
    const width = Math.max(bar.value === 0 ? 0 : 1, Math.abs(x(bar.value) - zero));
    const label =
      bar.label.length > MAX_LABEL ? `${bar.label.slice(0, MAX_LABEL - 1)}…` : bar.label;
    return html`<g>
      <text
        x="${LABEL_WIDTH - 8}"
        y="${y + BAR - 4}"
        text-anchor="end"
        font-size="12"
        fill="currentColor"
        >${label}</text
      >
      <rect
        x="${left.toFixed(1)}"
        y="${y}"
        width="${width.toFixed(1)}"
        height="${BAR}"
        rx="2"
        fill="${bar.value < 0 ? '#c0392b' : '#2f6fdb'}"
      ></rect>
      <text
        x="${(Math.max(zero, x(bar.value)) + 6).toFixed(1)}"
        y="${y + BAR - 4}"
        font-size="11"
        fill="currentColor"
        >${bar.display}</text
      >
    </g>`;
  });
  const summary = bars.map((bar) => `${bar.label}: ${bar.display}`).join('; ');
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    role="img"
    aria-labelledby="${titleId} ${descId}"
    viewBox="0 0 ${WIDTH} ${height}"
    width="100%"
    preserveAspectRatio="xMinYMin meet"
    class="chart"
  >
    <title id="${titleId}">${input.title}</title>
    <desc id="${descId}">${bars.length === 0 ? 'No data.' : summary}</desc>
    <line
      x1="${zero.toFixed(1)}"
      y1="0"
      x2="${zero.toFixed(1)}"
      y2="${height}"
      stroke="#888"
      stroke-width="1"
    ></line>
    ${rows}
  </svg>`;
}
