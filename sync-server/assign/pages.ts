import { html, layout } from '../redeem/html.ts';

export const NOT_YOURS_MESSAGE =
  'We can’t find that among the codes you bought or hold. Open your account and choose it from the list.';

/** One answer for a code or sale that does not exist and one of another account (no oracle). */
export function notYoursPage(): string {
  return layout(
    'Not found',
    html`<h1>Not found</h1>
      <p role="alert">${NOT_YOURS_MESSAGE}</p>
      <p><a href="/account">Go to your account</a></p>`,
  );
}
