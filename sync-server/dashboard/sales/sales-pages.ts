import { formatCode } from '../../../shared/code/entitlement-code.ts';
import { formatMoney } from '../../../shared/money.ts';
import { html, type SafeHtml } from '../../redeem/html.ts';
import { dataTable, detailList, pageLink } from '../html-parts.ts';
import { shortDateTime } from '../layout.ts';
import type { VisibleStore } from '../visible-stores.ts';
import { queryString, stateBadge, storeSelect } from './page-parts.ts';
import type { SaleDetail } from './sale-detail.ts';
import type { SaleFilters } from './sale-filters.ts';
import type { SalesPage } from './sales-search.ts';

export type StaffOption = { readonly id: string; readonly name: string };

/** The raw query as typed, so the form shows it back even when it did not parse. */
export type TypedFilters = Readonly<Record<string, string | undefined>>;

export function salesSearchBody(input: {
  readonly typed: TypedFilters;
  readonly filters: SaleFilters | null;
  readonly error: string | null;
  readonly page: SalesPage | null;
  /** How many sales match in all: the size of the CSV before it is downloaded. */
  readonly matching: number;
  readonly stores: readonly VisibleStore[];
  readonly staff: readonly StaffOption[];
}): SafeHtml {
  const { typed } = input;
  const field = (name: string, label: string, type = 'text', hint?: string) =>
    html`<label
      >${label}
      <input type="${type}" name="${name}" value="${typed[name] ?? ''}" />
      ${hint ? html`<span class="hint">${hint}</span>` : null}</label
    >`;
  const form = html`<form method="get" action="/dashboard/sales" class="inline" role="search">
    ${field('receipt', 'Receipt number', 'text', 'e.g. A1B2-000042')} ${field('code', 'Code')}
    ${field('email', 'Buyer e-mail', 'email')} ${field('from', 'From', 'date')}
    ${field('to', 'To', 'date')}
    <label
      >Staff
      <select name="staff">
        <option value="">Anyone</option>
        ${input.staff.map(
          (person) =>
            html`<option value="${person.id}" ${person.id === typed.staff ? html`selected` : null}>
              ${person.name}
            </option>`,
        )}
      </select></label
    >
    ${storeSelect(input.stores, typed.store)}
    <button type="submit" class="primary">Search</button>
    <a href="/dashboard/sales">Clear</a>
  </form>`;
  if (input.error !== null || input.page === null || input.filters === null) {
    return html`${form}
      <p class="error" role="alert">${input.error ?? ''}</p>`;
  }
  const filterQuery = filterParams(input.filters);
  const rows = input.page.rows.map(
    (sale) =>
      html`<tr>
        <td><a href="/dashboard/sales/${sale.id}">${sale.receiptNumber}</a></td>
        <td>${shortDateTime(sale.createdAt)}</td>
        ${input.stores.length > 1 ? html`<td>${sale.storeName}</td>` : null}
        <td>${sale.terminalName}</td>
        <td>${sale.staffName ?? '—'}</td>
        <td>${sale.buyerEmail ?? '—'}</td>
        <td class="num">${formatMoney(sale.total, sale.currency)}</td>
      </tr>`,
  );
  const next = pageLink(
    input.page.nextBefore === null
      ? null
      : `/dashboard/sales${queryString({ ...filterQuery, before: input.page.nextBefore })}`,
    'Older sales →',
  );
  return html`${form}
    <p class="actions">
      <span
        >${input.matching.toLocaleString('en-GB')}
        ${input.matching === 1 ? 'sale matches' : 'sales match'}.</span
      >
      <a class="button" href="/dashboard/exports/sales.csv${queryString(filterQuery)}"
        >Download
        ${
          input.matching === 1
            ? 'this sale'
            : `these ${input.matching.toLocaleString('en-GB')} sales`
        }
        (CSV)</a
      >
    </p>
    ${dataTable({
      columns: [
        'Receipt',
        'Sold',
        input.stores.length > 1 ? 'Store' : null,
        'Terminal',
        'Staff',
        'Buyer',
        { label: 'Total', numeric: true },
      ],
      rows,
      empty: 'No sale matches. Widen the dates or clear a field.',
      caption: html`<caption class="hint">
        Newest first, as the server received them. Times are the till's, in UTC.
      </caption>`,
    })}
    ${rows.length === 0 ? null : html`<p>${next}</p>`}`;
}

/** The filters as query parameters (dates and ids exactly as parsed). */
export function filterParams(filters: SaleFilters): Record<string, string | undefined> {
  return {
    receipt: filters.receipt,
    code: filters.code,
    email: filters.email,
    from: filters.from,
    to: filters.to,
    staff: filters.staff,
    store: filters.store,
  };
}

export function saleDetailBody(sale: SaleDetail): SafeHtml {
  const money = (amount: number) => formatMoney(amount, sale.body.currency);
  const facts = sale.facts.map(
    (fact) =>
      html`<tr>
        <td>${fact.kind === 'void' ? 'Void' : 'Refund'}</td>
        <td>${shortDateTime(fact.createdAt)}</td>
        <td>${fact.reason}</td>
        <td>${fact.staffName ?? '—'}</td>
        <td>${fact.approvedByName ?? html`<span class="badge warn">No manager approval</span>`}</td>
        <td class="num">${money(fact.amount)}</td>
        <td>${fact.flag ? html`<span class="badge bad">${fact.flag}</span>` : null}</td>
      </tr>`,
  );
  return html`${detailList([
      ['Store', sale.storeName],
      ['Terminal', sale.terminalName],
      [
        'Sold',
        `${shortDateTime(sale.createdAt)} (till clock); received ${shortDateTime(sale.receivedAt)}`,
      ],
      ['Staff', sale.staffName ?? '—'],
      [
        'Shift',
        sale.shiftId === null
          ? '—'
          : html`<a href="/dashboard/shifts/${sale.shiftId}">${sale.shiftId}</a>`,
      ],
      sale.discountApprovedByName ? ['Discount approved by', sale.discountApprovedByName] : null,
      ['Buyer', sale.body.buyerEmail ?? '—'],
    ])}
    <h2>Lines</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" class="num">Qty</th>
          <th scope="col" class="num">Total</th>
        </tr>
      </thead>
      <tbody>
        ${sale.body.lines.map(
          (line) =>
            html`<tr>
              <td>${line.name}</td>
              <td class="num">${line.quantity}</td>
              <td class="num">${money(line.total)}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <td>Discount</td>
          <td></td>
          <td class="num">${money(sale.body.discountTotal)}</td>
        </tr>
        <tr>
          <td>Tax (included)</td>
          <td></td>
          <td class="num">${money(sale.body.taxTotal)}</td>
        </tr>
        <tr>
          <th scope="row">Total</th>
          <td></td>
          <th class="num">${money(sale.body.total)}</th>
        </tr>
      </tfoot>
    </table>
    <h2>Payments</h2>
    <ul>
      ${sale.body.payments.map(
        (payment) =>
          html`<li>${payment.method === 'cash' ? 'Cash' : 'Card'}: ${money(payment.amount)}</li>`,
      )}
    </ul>
    <h2>Codes</h2>
    ${dataTable({
      columns: ['Code', 'Product', 'State', 'Expires'],
      rows: sale.codes.map(
        (code) =>
          html`<tr>
            <td><a href="/dashboard/entitlements/${code.code}">${formatCode(code.code)}</a></td>
            <td>${code.productName}</td>
            <td>${stateBadge(code.state)}</td>
            <td>${shortDateTime(code.expiresAt)}</td>
          </tr>`,
      ),
      empty: 'None.',
    })}
    <h2>Voids and refunds</h2>
    ${dataTable({
      columns: [
        'What',
        'When',
        'Reason',
        'By',
        'Approved by',
        { label: 'Amount', numeric: true },
        'Flag',
      ],
      rows: facts,
      empty: 'None.',
    })}
    <h2>Receipt e-mail</h2>
    <p><a href="/dashboard/sales/${sale.id}/resend">Resend the receipt e-mail…</a></p>`;
}
