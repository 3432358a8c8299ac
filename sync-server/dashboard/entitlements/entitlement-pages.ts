import { formatCode } from '../../../shared/code/entitlement-code.ts';
import { formatValidity, html, type SafeHtml } from '../../redeem/html.ts';
import { dataTable, detailList } from '../html-parts.ts';
import { csrfField, shortDateTime } from '../layout.ts';
import { stateBadge } from '../sales/page-parts.ts';
import type { DashboardUser } from '../session.ts';
import type { EntitlementHit, EntitlementView } from './entitlement-history.ts';

const FINAL = ['consumed', 'expired', 'voided'];

export function entitlementSearchBody(
  q: string,
  hits: readonly EntitlementHit[],
  recent: boolean,
): SafeHtml {
  const form = html`<form
    method="get"
    action="/dashboard/entitlements"
    class="inline"
    role="search"
  >
    <label
      >Code, receipt number or e-mail
      <input type="text" name="q" value="${q}" autocomplete="off" />
    </label>
    <button type="submit" class="primary">Find</button>
  </form>`;
  const heading = recent ? 'Recently changed' : `Codes matching “${q}”`;
  return html`${form} ${hits.length === 0 ? null : html`<h2>${heading}</h2>`}
  ${dataTable({
    columns: ['Code', 'Product', 'State', 'Receipt', 'Expires'],
    rows: hits.map(
      (hit) =>
        html`<tr>
          <td><a href="/dashboard/entitlements/${hit.code}">${formatCode(hit.code)}</a></td>
          <td>${hit.productName}</td>
          <td>${stateBadge(hit.state)}</td>
          <td><a href="/dashboard/sales/${hit.saleId}">${hit.receiptNumber}</a></td>
          <td>${shortDateTime(hit.expiresAt)}</td>
        </tr>`,
    ),
    empty: recent
      ? "No codes yet: they appear when the tills' sales reach the server."
      : `Nothing matches “${q}” in your stores. Check the code on the receipt.`,
  })}`;
}

export function entitlementBody(view: EntitlementView): SafeHtml {
  const open = !FINAL.includes(view.state);
  const actions = open
    ? html`<p class="actions">
        ${
          view.expiresAt === null
            ? null
            : html`<a class="button" href="/dashboard/entitlements/${view.code}/extend"
                >Extend expiry…</a
              >`
        }
        <a class="button danger" href="/dashboard/entitlements/${view.code}/void"
          >Void this code…</a
        >
      </p>`
    : html`<p class="hint">
        This code is ${view.state}: it cannot be voided or extended any more.
      </p>`;
  return html`<p class="big-code">${formatCode(view.code)}</p>
    ${detailList([
      ['State', stateBadge(view.state)],
      ['Product', `${view.productName} (${view.kind.replaceAll('_', ' ')})`],
      ['Sale', html`<a href="/dashboard/sales/${view.saleId}">${view.receiptNumber}</a>`],
      [
        'Expires',
        view.expiresAt === null
          ? 'Never expires'
          : formatValidity(view.expiresAt, view.state === 'expired'),
      ],
      ['Held by', view.holderEmail ?? '—'],
      view.givenTo ? ['Given to', view.givenTo] : null,
      view.claimedAt ? ['Claimed', shortDateTime(view.claimedAt)] : null,
      view.consumedAt ? ['Redeemed', shortDateTime(view.consumedAt)] : null,
      view.voidReason ? ['Void reason', view.voidReason] : null,
    ])}
    ${actions}
    <h2>History</h2>
    ${dataTable({
      columns: ['When', 'What', 'Who', 'Why'],
      rows: view.history.map(
        (entry) =>
          html`<tr>
            <td>${shortDateTime(entry.at)}</td>
            <td>${entry.what}</td>
            <td>${entry.who}</td>
            <td>${entry.why}</td>
          </tr>`,
      ),
      empty: 'Nothing has happened to this code since it was sold.',
    })}`;
}

/** The confirm step of a manual action: what will happen, a required reason, and Cancel. */
export function confirmForm(input: {
  readonly user: DashboardUser;
  readonly action: string;
  readonly cancel: string;
  readonly explain: SafeHtml;
  readonly button: string;
  readonly danger: boolean;
  readonly error: string | null;
  readonly extraFields?: SafeHtml;
  readonly reason?: string;
}): SafeHtml {
  return html`${
      input.error === null
        ? null
        : html`<p class="error" role="alert" id="form-error">${input.error}</p>`
    }
    ${input.explain}
    <form method="post" action="${input.action}" class="stack">
      ${csrfField(input.user)} ${input.extraFields ?? null}
      <label
        >Reason (kept in the audit log)
        <textarea name="reason" required minlength="3" maxlength="300">
${input.reason ?? ''}</textarea>
      </label>
      <p class="actions">
        <button type="submit" class="${input.danger ? 'danger' : 'primary'}">
          ${input.button}
        </button>
        <a href="${input.cancel}">Cancel</a>
      </p>
    </form>`;
}
