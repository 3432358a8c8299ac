import { formatCode } from '../../shared/code/entitlement-code.ts';
import { ENTITLEMENT_STATE_LABELS } from '../../shared/schemas/entitlement.ts';
import { formatDay } from '../mail/sale-codes-content.ts';
import { CSRF_FIELD } from '../redeem/csrf.ts';
import { formatDateTime, html, type SafeHtml } from '../redeem/html.ts';
import { freeGroups, isFreeToGive, isTransferable } from './account-items.ts';
import type { AccountItem } from './pages.ts';

/** A refused give/transfer form: which form (its action), what was typed, what to do. */
export type FormError = {
  readonly action: string;
  readonly value: string;
  readonly message: string;
};

export const giveAction = (code: string): string => `/account/codes/${code}/give`;
export const transferAction = (code: string): string => `/account/codes/${code}/transfer`;
export const bulkGiveAction = (saleId: string): string => `/account/sales/${saleId}/give`;

function errorFor(action: string, error: FormError | undefined): FormError | undefined {
  return error?.action === action ? error : undefined;
}

/** One e-mail field and a button: "Give to" on a bought code, "Transfer to" on a held one. */
function emailForm(input: {
  action: string;
  id: string;
  label: string;
  button: string;
  csrf: string;
  error: FormError | undefined;
}): SafeHtml {
  const error = errorFor(input.action, input.error);
  const errorId = `${input.id}-error`;
  return html`<form method="post" action="${input.action}" class="give">
    <input type="hidden" name="${CSRF_FIELD}" value="${input.csrf}" />
    <label for="${input.id}">${input.label}</label>
    <input
      id="${input.id}"
      name="email"
      type="email"
      value="${error?.value ?? ''}"
      autocomplete="off"
      inputmode="email"
      spellcheck="false"
      required${
        error === undefined ? null : html` aria-invalid="true" aria-describedby="${errorId}"`
      }
    />
    ${error === undefined ? null : html`<p id="${errorId}" class="error">${error.message}</p>`}
    <button type="submit" class="secondary">${input.button}</button>
  </form>`;
}

/** Once a code is given and sent, it is the recipient's: the buyer no longer sees the code. */
function isConcealed(item: AccountItem): boolean {
  return item.givenTo !== null && item.givenAt !== null && !item.held;
}

function givenNote(item: AccountItem): string | null {
  if (item.givenTo === null) return null;
  if (item.givenAt !== null) return `Given to ${item.givenTo} — sent ${formatDay(item.givenAt)}`;
  return item.giftSendOn === null
    ? `Will be sent to ${item.givenTo} shortly`
    : `Will be sent to ${item.givenTo} on ${formatDay(item.giftSendOn)}`;
}

export function itemCard(item: AccountItem, csrf: string, error?: FormError): SafeHtml {
  const how = [
    item.held
      ? `Claimed by you${item.claimedAt === null ? '' : ` on ${formatDateTime(item.claimedAt)}`}`
      : null,
    item.bought ? 'Bought by you' : null,
  ].filter((text) => text !== null);
  const given = givenNote(item);
  const concealed = isConcealed(item);
  return html`<li class="card" ${concealed ? null : html` data-code="${item.code}"`}>
    <dl>
      <dt>Code</dt>
      <dd class="code">${concealed ? 'With the recipient' : formatCode(item.code)}</dd>
      <dt>Product</dt>
      <dd>${item.productName}</dd>
      <dt>Shop</dt>
      <dd>${item.storeName}</dd>
      <dt>Status</dt>
      <dd>${ENTITLEMENT_STATE_LABELS[item.state]}</dd>
    </dl>
    ${given === null ? null : html`<p class="given">${given}</p>`}
    ${
      item.state === 'voided'
        ? html`<p class="error">
            The shop voided this sale${item.voidReason === null ? '' : `: ${item.voidReason}`}. Ask
            ${item.storeName} for a refund or a replacement.
          </p>`
        : null
    }
    <p class="muted">${how.join(' · ')}</p>
    ${concealed ? null : html`<p><a href="/account/codes/${item.code}">Open this code</a></p>`}
    ${
      isFreeToGive(item)
        ? emailForm({
            action: giveAction(item.code),
            id: `give-${item.code}`,
            label: 'Give to (e-mail)',
            button: 'Give',
            csrf,
            error,
          })
        : null
    }
    ${
      isTransferable(item)
        ? emailForm({
            action: transferAction(item.code),
            id: `transfer-${item.code}`,
            label: 'Transfer to (e-mail)',
            button: 'Transfer',
            csrf,
            error,
          })
        : null
    }
  </li>`;
}

/** One textarea per sale and product with two or more free codes: 25 vouchers, one form. */
export function bulkGiveForms(
  items: readonly AccountItem[],
  csrf: string,
  error?: FormError,
): SafeHtml[] {
  return freeGroups(items)
    .filter((group) => group.codes.length >= 2)
    .map((group) => {
      const action = bulkGiveAction(group.saleId);
      const own = errorFor(action, error);
      const id = `bulk-${group.saleId}-${group.productId}`;
      return html`<section class="card bulk">
        <h3>${group.codes.length} × ${group.productName} from ${group.storeName}, not given yet</h3>
        <form method="post" action="${action}">
          <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
          <input type="hidden" name="productId" value="${group.productId}" />
          <label for="${id}">Give these codes, one e-mail per line</label>
          <textarea
            id="${id}"
            name="emails"
            rows="8"
            cols="40"
            autocomplete="off"
            spellcheck="false"
            required${
              own === undefined ? null : html` aria-invalid="true" aria-describedby="${id}-error"`
            }
          >
${own?.value ?? ''}</textarea>
          ${own === undefined ? null : html`<p id="${id}-error" class="error">${own.message}</p>`}
          <p class="muted">Each address gets one code by e-mail, in code order.</p>
          <button type="submit" class="secondary">Give codes</button>
        </form>
      </section>`;
    });
}
