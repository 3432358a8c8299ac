import { formatCode } from '../../shared/code/entitlement-code.ts';
import {
  ENTITLEMENT_STATE_LABELS,
  type EntitlementState,
} from '../../shared/schemas/entitlement.ts';
import { emailField, hiddenCsrf } from '../customers/pages.ts';
import type { ProvisionalClaimState } from '../db/schema.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { formatDateTime, formatValidity, html, layout, type SafeHtml } from './html.ts';

export type EntitlementView = {
  readonly code: string;
  readonly productName: string;
  readonly storeName: string;
  readonly state: EntitlementState;
  readonly consumedAt: string | null;
  /** A gift card's remaining balance, formatted; absent for other kinds. */
  readonly balance?: string | null;
  /** When the code stops being redeemable; null: never. */
  readonly expiresAt?: string | null;
  /** What the product's sale issued; null for codes sold before templates existed. */
  readonly template?: ProductTemplate | null;
};

/** True when anyone may redeem the code on the spot: only codes without a template. */
export function redeemableOnTheSpot(view: EntitlementView): boolean {
  return (view.template ?? null) === null;
}

const tryAnother = html`<p><a href="/redeem">Check another code</a></p>`;

export function formPage(input: { csrf: string; value?: string; error?: string }): string {
  const error = input.error;
  const invalid =
    error === undefined ? null : html` aria-invalid="true" aria-describedby="code-error"`;
  return layout(
    'Redeem a code',
    html`<h1>Redeem a code</h1>
      <p>
        Type the code printed on your receipt or gift card. Letters or digits, with or without
        dashes.
      </p>
      <form method="post" action="/redeem">
        ${hiddenCsrf(input.csrf)}
        <label for="code">Code</label>
        <input
          id="code"
          name="code"
          type="text"
          value="${input.value ?? ''}"
          autocomplete="off"
          autocapitalize="characters"
          inputmode="text"
          spellcheck="false"
          required${invalid}
        />
        ${error === undefined ? null : html`<p id="code-error" class="error" role="alert">${error}</p>`}
        <button type="submit" class="primary">Check code</button>
      </form>
      <p><a href="/signin">Sign in to see the codes on your account</a></p>`,
  );
}

/**
 * The one answer for every code we will not act on: unknown, malformed, forged (its MAC does not
 * verify) or expired. Alike in status and words, so the portal is no oracle (issue #3). Only a
 * failed check symbol keeps its own message: a guess almost never passes it, and the typo
 * message says nothing about whether a code exists.
 */
export const CANT_USE_MESSAGE =
  "We can't use this code. Check it against your receipt, or ask the shop that sold it.";
export const CANT_USE_STATUS = 404;

export function cantUsePage(input: { csrf: string; value: string }): string {
  return formPage({ ...input, error: CANT_USE_MESSAGE });
}

export function tooManyForCodePage(retryInMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryInMs / 60_000));
  return layout(
    'Too many attempts',
    html`<h1>Too many attempts</h1>
      <p role="alert">
        This code was tried too often. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.
      </p>
      ${tryAnother}`,
  );
}

/** A genuine code whose sale has not reached us: it can be claimed now, or it already is. */
export function pendingPage(
  code: string,
  forms: CodeForms & { claim: ProvisionalClaimState | null },
): string {
  const claim =
    forms.claim === 'cancelled'
      ? html`<p role="status">
          An earlier claim on this code was cancelled because its sale did not arrive. Ask the shop
          that sold it.
        </p>`
      : forms.claim !== null
        ? html`<p role="status">Claimed — waiting for the shop's sale to arrive.</p>`
        : html`<h2>Claim it now</h2>
            <p>
              We e-mail you a link that adds it to your account at once. It is confirmed when the
              shop's sale arrives.
            </p>
            <form method="post" action="/redeem/${code}/claim">
              ${hiddenCsrf(forms.csrf)}
              ${emailField({
                ...(forms.email === undefined ? {} : { value: forms.email }),
                ...(forms.error === undefined ? {} : { error: forms.error }),
              })}
              <button type="submit" class="primary">Claim it now</button>
            </form>`;
  return layout(
    'Code not ready yet',
    html`<h1>Your code is genuine</h1>
      <p class="code">${formatCode(code)}</p>
      <p>
        The shop issued this code, but has not sent us its sale yet. Shops send their sales when
        they are online, usually within minutes. Try again later to redeem it.
      </p>
      ${claim} ${tryAnother}`,
  );
}

function details(view: EntitlementView): SafeHtml {
  return html`<dl>
    <dt>Code</dt>
    <dd class="code">${formatCode(view.code)}</dd>
    <dt>Product</dt>
    <dd>${view.productName}</dd>
    <dt>Shop</dt>
    <dd>${view.storeName}</dd>
    <dt>Status</dt>
    <dd>${ENTITLEMENT_STATE_LABELS[view.state]}</dd>
    ${
      view.balance
        ? html`<dt>Balance</dt>
            <dd data-balance>${view.balance}</dd>`
        : null
    }
    ${
      view.expiresAt
        ? html`<dt>Validity</dt>
            <dd>${formatValidity(view.expiresAt, false)}</dd>`
        : null
    }
  </dl>`;
}

/** What the code is, in the template's words; null without a template. */
function whatItIs(view: EntitlementView): SafeHtml | null {
  const template = view.template ?? null;
  if (template === null) return null;
  switch (template.kind) {
    case 'gift_card':
      return html`<p data-what>
        A gift card${view.balance ? ` with ${view.balance} on it` : ''}. Spend it at
        ${view.storeName}'s counter, in one go or in parts.
      </p>`;
    case 'voucher':
      return html`<p data-what>Voucher for one person — you will register them.</p>`;
    case 'ticket':
      return html`<p data-what>
        Ticket for ${template.eventName} on ${formatDateTime(template.eventDate)}. You will name the
        attendee.
      </p>`;
    case 'licence':
      return html`<p data-what>
        Licence with ${template.seats} seat${template.seats === 1 ? '' : 's'}. You will say who uses
        them.
      </p>`;
  }
}

/** The next step of a claimable code, per template. */
function claimHeading(view: EntitlementView): { heading: string; text: string } {
  switch (view.template?.kind) {
    case 'gift_card':
      return {
        heading: 'Claim it to your account',
        text: 'Keep it safe and see its balance: we e-mail you a link that adds it to your account.',
      };
    case 'voucher':
      return {
        heading: 'Claim it, then register the person',
        text: 'We e-mail you a link. It adds the voucher to your account, where you register who it is for.',
      };
    case 'ticket':
      return {
        heading: 'Claim it, then name the attendee',
        text: 'We e-mail you a link. It adds the ticket to your account, where you name who comes.',
      };
    case 'licence':
      return {
        heading: 'Claim it, then assign the seats',
        text: 'We e-mail you a link. It adds the licence to your account, where you give each seat to a person by e-mail.',
      };
    default:
      return {
        heading: 'Claim it to your account',
        text: 'Keep it for later: we e-mail you a link that adds it to your account.',
      };
  }
}

/** What the code page's forms need: the CSRF token, and the claim form's input if it is shown again. */
export type CodeForms = { readonly csrf: string; readonly email?: string; readonly error?: string };

function stateMessage(view: EntitlementView, forms: CodeForms): SafeHtml {
  switch (view.state) {
    case 'known': {
      const claim = claimHeading(view);
      return html`${
          redeemableOnTheSpot(view)
            ? html`<form method="post" action="/redeem/${view.code}/consume">
                ${hiddenCsrf(forms.csrf)}
                <button type="submit" class="primary">Redeem now</button>
              </form>`
            : null
        }
        <h2>${claim.heading}</h2>
        <p>${claim.text}</p>
        <form method="post" action="/redeem/${view.code}/claim">
          ${hiddenCsrf(forms.csrf)}
          ${emailField({
            ...(forms.email === undefined ? {} : { value: forms.email }),
            ...(forms.error === undefined ? {} : { error: forms.error }),
          })}
          <button type="submit" class="primary">Send me a link</button>
        </form>`;
    }
    case 'consumed':
      return html`<p role="status">
        This code was already redeemed on
        ${view.consumedAt === null ? 'an earlier date' : formatDateTime(view.consumedAt)}.
      </p>`;
    case 'voided':
      return html`<p role="status">
        This code was voided by the shop (for example after a refund) and cannot be redeemed. Ask
        the shop if you think this is wrong.
      </p>`;
    case 'expired':
      return html`<p role="status">This code has expired and cannot be redeemed.</p>`;
    default:
      return html`<p role="status">
          This code is ${ENTITLEMENT_STATE_LABELS[view.state].toLowerCase()}: someone has claimed
          it.
        </p>
        <p>
          If it is yours, <a href="/account/codes/${view.code}">open it on your account</a> (sign in
          with the e-mail you claimed it with).
        </p>`;
  }
}

export function entitlementPage(view: EntitlementView, forms: CodeForms): string {
  return layout(
    view.productName,
    html`<h1>${view.productName}</h1>
      ${whatItIs(view)} ${details(view)} ${stateMessage(view, forms)} ${tryAnother}`,
  );
}

export function redeemedPage(view: EntitlementView): string {
  return layout(
    'Redeemed',
    html`<h1>Redeemed</h1>
      <p role="status">
        Your ${view.productName} from ${view.storeName} is
        redeemed${view.consumedAt === null ? '' : ` on ${formatDateTime(view.consumedAt)}`}. Show
        this page at the counter if you are asked to.
      </p>
      ${details(view)}`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>
      ${tryAnother}`,
  );
}
