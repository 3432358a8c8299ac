import { formatCode } from '../../shared/code/entitlement-code.ts';
import {
  ENTITLEMENT_STATE_LABELS,
  type EntitlementState,
} from '../../shared/schemas/entitlement.ts';
import { CSRF_FIELD } from '../redeem/csrf.ts';
import { formatDateTime, html, layout, type SafeHtml } from '../redeem/html.ts';
import { provisionalCard, type ProvisionalItem } from './provisional-items.ts';

/** The hidden CSRF field every portal form carries (redeem/csrf.ts). */
export function hiddenCsrf(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />`;
}

/** The labelled e-mail field of the sign-in and claim forms, with its error if any. */
export function emailField(input: { value?: string; error?: string }): SafeHtml {
  const error = input.error;
  const invalid =
    error === undefined ? null : html` aria-invalid="true" aria-describedby="email-error"`;
  return html`<label for="email">E-mail address</label>
    <input
      id="email"
      name="email"
      type="email"
      value="${input.value ?? ''}"
      autocomplete="email"
      inputmode="email"
      spellcheck="false"
      required${invalid}
    />
    ${error === undefined ? null : html`<p id="email-error" class="error" role="alert">${error}</p>`}`;
}

export function signinPage(input: { csrf: string; value?: string; error?: string }): string {
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
      <p>We e-mail you a link to sign in. No password needed.</p>
      <form method="post" action="/signin">
        ${hiddenCsrf(input.csrf)} ${emailField(input)}
        <button type="submit" class="primary">Send me a link</button>
      </form>`,
  );
}

export function checkInboxPage(email: string): string {
  return layout(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
      <p role="status">
        We sent a link to ${email}. Open it on this phone or computer within 15 minutes; it works
        once.
      </p>
      <p>Nothing there after a few minutes? Check your spam folder, or ask for a new link.</p>
      <p><a href="/signin">Ask for a new link</a></p>`,
  );
}

export function linkConfirmPage(token: string, csrf: string): string {
  return layout(
    'Continue',
    html`<h1>Continue to your account</h1>
      <p>Press Continue to sign in with the link from your e-mail.</p>
      <form method="post" action="/auth/link/${token}">
        ${hiddenCsrf(csrf)}
        <button type="submit" class="primary">Continue</button>
      </form>`,
  );
}

export const LINK_EXPIRED_MESSAGE = 'This link has expired or was already used. Ask for a new one.';

export function linkExpiredPage(): string {
  return layout(
    'Link expired',
    html`<h1>Link expired</h1>
      <p role="alert">${LINK_EXPIRED_MESSAGE}</p>
      <p><a href="/signin">Ask for a new link</a></p>`,
  );
}

export function tooManyLinksPage(limit: number, retryAt: string): string {
  return layout(
    'Too many links',
    html`<h1>Too many links</h1>
      <p role="alert">
        This address was sent ${limit} links in the last hour. Try again after
        ${formatDateTime(retryAt)}.
      </p>`,
  );
}

export function claimUnavailablePage(code: string): string {
  return layout(
    'Code already claimed',
    html`<h1>Code already claimed</h1>
      <p role="alert">
        Code ${formatCode(code)} was claimed by another account, or redeemed, before your link was
        used. You are signed in; ask the shop if you think this is wrong.
      </p>
      <p><a href="/account">Go to your account</a></p>`,
  );
}

export type AccountItem = {
  readonly code: string;
  readonly productName: string;
  readonly storeName: string;
  readonly state: EntitlementState;
  readonly claimedAt: string | null;
  readonly held: boolean;
  readonly bought: boolean;
};

function itemCard(item: AccountItem): SafeHtml {
  const how = [
    item.held
      ? `Claimed by you${item.claimedAt === null ? '' : ` on ${formatDateTime(item.claimedAt)}`}`
      : null,
    item.bought ? 'Bought by you' : null,
  ].filter((text) => text !== null);
  return html`<li class="card" data-code="${item.code}">
    <dl>
      <dt>Code</dt>
      <dd class="code">${formatCode(item.code)}</dd>
      <dt>Product</dt>
      <dd>${item.productName}</dd>
      <dt>Shop</dt>
      <dd>${item.storeName}</dd>
      <dt>Status</dt>
      <dd>${ENTITLEMENT_STATE_LABELS[item.state]}</dd>
    </dl>
    <p class="muted">${how.join(' · ')}</p>
  </li>`;
}

export function accountPage(input: {
  email: string;
  items: readonly AccountItem[];
  provisional: readonly ProvisionalItem[];
  csrf: string;
}): string {
  return layout(
    'Your account',
    html`<h1>Your account</h1>
      <p>Signed in as ${input.email}.</p>
      <h2>Your codes</h2>
      ${
        input.items.length === 0 && input.provisional.length === 0
          ? html`<p>No codes yet. Claim one from its page: open the link on your receipt.</p>`
          : html`<ul class="cards">
              ${input.provisional.map(provisionalCard)} ${input.items.map(itemCard)}
            </ul>`
      }
      <form method="post" action="/signout">
        ${hiddenCsrf(input.csrf)}
        <button type="submit" class="secondary">Sign out</button>
      </form>`,
  );
}

export function signedOutPage(): string {
  return layout(
    'Signed out',
    html`<h1>Signed out</h1>
      <p role="status">You are signed out on this device.</p>
      <p><a href="/signin">Sign in again</a></p>`,
  );
}
