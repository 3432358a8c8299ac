import { html, type SafeHtml } from '../redeem/html.ts';

/** A column heading; `numeric` right-aligns it like its figures. */
export type Column = string | { readonly label: string | SafeHtml; readonly numeric: boolean };

/** A heading for a column with no title of its own (the row's links): read aloud, not shown. */
export function unlabelled(label: string): Column {
  return { label: html`<span class="sr-only">${label}</span>`, numeric: false };
}

function heading(column: Column): SafeHtml {
  if (typeof column === 'string') return html`<th scope="col">${column}</th>`;
  return column.numeric
    ? html`<th scope="col" class="num">${column.label}</th>`
    : html`<th scope="col">${column.label}</th>`;
}

/**
 * The dashboard's list table: headings, then the rows. With no rows it is the `empty` sentence
 * instead, so a page never shows a table of headings alone.
 */
export function dataTable(input: {
  readonly columns: readonly (Column | null)[];
  readonly rows: readonly SafeHtml[];
  readonly empty: string | SafeHtml;
  readonly caption?: SafeHtml;
}): SafeHtml {
  if (input.rows.length === 0) return html`<p class="empty">${input.empty}</p>`;
  const columns = input.columns.filter((column): column is Column => column !== null);
  return html`<table>
    ${input.caption ?? null}
    <thead>
      <tr>
        ${columns.map(heading)}
      </tr>
    </thead>
    <tbody>
      ${input.rows}
    </tbody>
  </table>`;
}

/** One term of a definition list; null leaves an optional fact out. */
export type Detail = readonly [term: string, value: string | number | SafeHtml] | null;

/** The panel of facts at the top of a detail page (a sale, a code, a shift's close). */
export function detailList(details: readonly Detail[]): SafeHtml {
  const shown = details.filter((detail) => detail !== null);
  return html`<dl class="panel">
    ${shown.map(
      ([term, value]) =>
        html`<dt>${term}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;
}

/** The "next page" link of a keyset-paged list; nothing when this is the last page. */
export function pageLink(href: string | null, label: string): SafeHtml | null {
  return href === null ? null : html`<a href="${href}">${label}</a>`;
}
