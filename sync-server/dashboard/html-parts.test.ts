import { describe, expect, it } from 'vitest';
import { html } from '../redeem/html.ts';
import { dataTable, detailList, pageLink, unlabelled } from './html-parts.ts';

/** The markup without the layout whitespace between and inside tags. */
const squash = (text: string) => text.replace(/>\s+/g, '>').replace(/\s+</g, '<');

describe('dataTable', () => {
  it('heads the rows with the columns, numeric ones right-aligned, null ones left out', () => {
    const table = dataTable({
      columns: ['Name', null, { label: 'Total', numeric: true }, unlabelled('Actions')],
      rows: [
        html`<tr>
          <td>Ann</td>
          <td>3</td>
          <td></td>
        </tr>`,
      ],
      empty: 'None.',
      caption: html`<caption>
        People
      </caption>`,
    }).value;
    expect(squash(table)).toBe(
      '<table><caption>People</caption><thead><tr><th scope="col">Name</th>' +
        '<th scope="col" class="num">Total</th>' +
        '<th scope="col"><span class="sr-only">Actions</span></th></tr></thead>' +
        '<tbody><tr><td>Ann</td><td>3</td><td></td></tr></tbody></table>',
    );
  });

  it('is the empty sentence, escaped, when there are no rows', () => {
    const empty = dataTable({ columns: ['Name'], rows: [], empty: 'No <codes> yet.' }).value;
    expect(empty).toBe('<p class="empty">No &lt;codes&gt; yet.</p>');
  });
});

describe('detailList', () => {
  it('shows each fact as a term and its value, leaving out the null ones', () => {
    const list = detailList([['Store', 'Main <St>'], null, ['Sales', 3]]).value;
    expect(squash(list)).toBe(
      '<dl class="panel"><dt>Store</dt><dd>Main &lt;St&gt;</dd><dt>Sales</dt><dd>3</dd></dl>',
    );
  });
});

describe('pageLink', () => {
  it('links to the next page, or is nothing on the last page', () => {
    expect(pageLink('/dashboard/sales?before=x&y', 'Older →')?.value).toBe(
      '<a href="/dashboard/sales?before=x&amp;y">Older →</a>',
    );
    expect(pageLink(null, 'Older →')).toBeNull();
  });
});
