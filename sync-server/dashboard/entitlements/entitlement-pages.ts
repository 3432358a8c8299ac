import { formatCode } from '../../../shared/code/entitlement-code.ts';
import { formatValidity, html, type SafeHtml } from '../../redeem/html.ts';
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
  if (hits.length === 0) {
    return recent
      ? html`${form}
          <p class="empty">No codes yet: they appear when the tills' sales reach the server.</p>`
      : html`${form}
          <p class="empty">
            Nothing matches “${q}” in your stores. Check the code on the receipt.
          </p>`;
  }
  return html`${form}
    <h2>${recent ? 'Recently changed' : `Codes matching “${q}”`}</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Product</th>
          <th scope="col">State</th>
          <th scope="col">Receipt</th>
          <th scope="col">Expires</th>
        </tr>
      </thead>
      <tbody>
        ${hits.map(
          (hit) =>
            html`<tr>
              <td><a href="/dashboard/entitlements/${hit.code}">${formatCode(hit.code)}</a></td>
              <td>${hit.productName}</td>
              <td>${stateBadge(hit.state)}</td>
              <td><a href="/dashboard/sales/${hit.saleId}">${hit.receiptNumber}</a></td>
              <td>${shortDateTime(hit.expiresAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
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
    <dl class="panel">
      <dt>State</dt>
      <dd>${stateBadge(view.state)}</dd>
      <dt>Product</dt>
      <dd>${view.productName} (${view.kind.replaceAll('_', ' ')})</dd>
      <dt>Sale</dt>
      <dd><a href="/dashboard/sales/${view.saleId}">${view.receiptNumber}</a></dd>
      <dt>Expires</dt>
      <dd>
        ${
          view.expiresAt === null
            ? 'Never expires'
            : formatValidity(view.expiresAt, view.state === 'expired')
        }
      </dd>
      <dt>Held by</dt>
      <dd>${view.holderEmail ?? '—'}</dd>
      ${
        view.givenTo
          ? html`<dt>Given to</dt>
              <dd>${view.givenTo}</dd>`
          : null
      }
      ${
        view.claimedAt
          ? html`<dt>Claimed</dt>
              <dd>${shortDateTime(view.claimedAt)}</dd>`
          : null
      }
      ${
        view.consumedAt
          ? html`<dt>Redeemed</dt>
              <dd>${shortDateTime(view.consumedAt)}</dd>`
          : null
      }
      ${
        view.voidReason
          ? html`<dt>Void reason</dt>
              <dd>${view.voidReason}</dd>`
          : null
      }
    </dl>
    ${actions}
    <h2>History</h2>
    ${
      view.history.length === 0
        ? html`<p class="empty">Nothing has happened to this code since it was sold.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              ${view.history.map(
                (entry) =>
                  html`<tr>
                    <td>${shortDateTime(entry.at)}</td>
                    <td>${entry.what}</td>
                    <td>${entry.who}</td>
                    <td>${entry.why}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
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
