import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import { CSRF_FIELD } from '../redeem/csrf.ts';
import { formatDateTime, html, layout, type SafeHtml } from '../redeem/html.ts';
import { bulkGiveForms, itemCard, type FormError } from './give-forms.ts';
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
  readonly saleId: string;
  readonly productId: string;
  readonly productName: string;
  readonly storeName: string;
  readonly state: EntitlementState;
  readonly claimedAt: string | null;
  readonly held: boolean;
  /** Some account (this one or another) holds it. */
  readonly heldByAnyone: boolean;
  readonly bought: boolean;
  /** Gift or assign-later: who the buyer gave it to, and when it was sent. */
  readonly givenTo: string | null;
  readonly givenAt: string | null;
  readonly giftSendOn: string | null;
  /** Why the shop voided the sale, when it did. */
  readonly voidReason: string | null;
};

export function accountPage(input: {
  email: string;
  items: readonly AccountItem[];
  provisional: readonly ProvisionalItem[];
  csrf: string;
  /** A give or transfer form that was refused, shown again with what to type. */
  error?: FormError;
}): string {
  const bulk = bulkGiveForms(input.items, input.csrf, input.error);
  return layout(
    'Your account',
    html`<h1>Your account</h1>
      <p>Signed in as ${input.email}.</p>
      ${
        input.error === undefined
          ? null
          : html`<p class="error" role="alert">${input.error.message}</p>`
      }
      ${
        bulk.length === 0
          ? null
          : html`<h2>Give your codes</h2>
              ${bulk}`
      }
      <h2>Your codes</h2>
      ${
        input.items.length === 0 && input.provisional.length === 0
          ? html`<p>No codes yet. Claim one from its page: open the link on your receipt.</p>`
          : html`<ul class="cards">
              ${input.provisional.map(provisionalCard)}
              ${input.items.map((item) => itemCard(item, input.csrf, input.error))}
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
