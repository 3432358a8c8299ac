/** Markup that is already safe to send; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = string | number | SafeHtml | readonly SafeHtml[] | null | undefined;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: SafeHtml) => item.value).join('');
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated string, so a product name or a typed code can
 * never become markup. Nest `html` results to compose; there is no way to opt a string out.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

export const STYLESHEET_PATH = '/redeem/assets/portal.css';

/** The one layout of the portal: valid HTML5, readable on a phone, no script. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} · Entitle</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html> `.value;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/**
 * "26 November 2026", as Intl's en-GB long date in UTC writes it, spelt out by hand: Intl's
 * formatter was the largest cost of our own code on a redeemed page (profiled under load,
 * bench/load/); html.test.ts holds the two to the same words.
 */
function dayInWords(date: Date): string {
  return `${String(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCFullYear())}`;
}

/** "26 November 2026 at 14:05 UTC": a customer reads it, so words, and the zone said plainly. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return `${dayInWords(date)} at ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`;
}

/**
 * A code's validity in words. A fixed end date is stored as the following midnight (UTC), so it
 * reads "Valid through 19 December 2026 (UTC)" rather than "until 20 December at 00:00".
 */
export function formatValidity(expiresAt: string, expired: boolean): string {
  const end = new Date(expiresAt);
  if (expired) return `Expired ${formatDateTime(expiresAt)}`;
  if (end.getUTCHours() === 0 && end.getUTCMinutes() === 0 && end.getUTCSeconds() === 0) {
    const lastDay = dayInWords(new Date(end.getTime() - 1));
    return `Valid through ${lastDay} (UTC)`;
  }
  return `Valid until ${formatDateTime(expiresAt)}`;
}
