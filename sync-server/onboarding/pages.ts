import { formatCode } from '../../shared/code/entitlement-code.ts';
import { ENTITLEMENT_STATE_LABELS } from '../../shared/schemas/entitlement.ts';
import type { SeatAssignment } from '../../shared/templates/licence.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { formatDateTime, formatValidity, html, layout, type SafeHtml } from '../redeem/html.ts';
import type { HeldEntitlement, HeldProvisional } from './holder-code.ts';
import { registerForm, type FormState } from './register-form.ts';

const backToAccount = html`<p><a href="/account">Back to your account</a></p>`;

/** Unknown codes and codes held by someone else get this page alike (no oracle). */
export function codeNotFoundPage(): string {
  return layout(
    'Code not found',
    html`<h1>Code not found</h1>
      <p role="alert">
        This code is not on your account. Open it from your account, or claim it first from its
        page: the link on your receipt.
      </p>
      ${backToAccount}`,
  );
}

/** What the template says the code is for: gift card, voucher, ticket or licence. */
function kindDetails(
  held: HeldEntitlement,
  extra: { readonly balance: string | null; readonly seats: readonly SeatAssignment[] },
): SafeHtml | null {
  const template = held.template;
  if (!template) return null;
  switch (template.kind) {
    case 'gift_card':
      return extra.balance === null
        ? null
        : html`<dt>Balance</dt>
            <dd data-balance>${extra.balance}</dd>`;
    case 'ticket':
      return html`<dt>Event</dt>
        <dd>${template.eventName}</dd>
        <dt>Date</dt>
        <dd data-event-date>${formatDateTime(template.eventDate)}</dd>`;
    case 'voucher': {
      const name = held.values?.['fullName'];
      return name === undefined
        ? null
        : html`<dt>For</dt>
            <dd data-subject>${name}</dd>`;
    }
    case 'licence':
      return html`<dt>Seats</dt>
        <dd data-seats>${extra.seats.length} of ${template.seats} assigned</dd>`;
  }
}

function registeredValues(held: HeldEntitlement): SafeHtml | null {
  const template = held.template;
  if (!template || held.values === null || template.onboarding.length === 0) return null;
  const rows = template.onboarding
    .filter((field) => held.values?.[field.name] !== undefined)
    .map(
      (field) =>
        html`<dt>${field.label}</dt>
          <dd>${held.values?.[field.name] ?? ''}</dd>`,
    );
  return html`<h2>Registered</h2>
    <dl>${rows}</dl>`;
}

function nextStep(
  held: HeldEntitlement,
  input: {
    readonly csrf: string;
    readonly form?: FormState | undefined;
    readonly seatsForm?: FormState | undefined;
    readonly seats: readonly SeatAssignment[];
    readonly licenceIssuedAt: string | null;
  },
): SafeHtml {
  const template = held.template;
  switch (held.state) {
    case 'claimed':
      if (!template) return html`<p role="status">This code is claimed to your account.</p>`;
      return html`<h2>${template.kind === 'licence' ? 'Assign the seats' : 'Register'}</h2>
        <p>
          ${
            template.kind === 'licence'
              ? 'Say who uses this licence. You can change the list later.'
              : 'Tell us who this is for. It becomes active as soon as you send the form.'
          }
        </p>
        ${registerForm({
          action: `/account/codes/${held.code}/onboard`,
          csrf: input.csrf,
          template,
          state: input.form,
          button: template.kind === 'licence' ? 'Assign seats' : 'Register',
        })}`;
    case 'onboarded':
      return html`<p role="status">
        Registered. ${held.storeName} is activating it; this page says Active when that is done.
      </p>`;
    case 'active':
      if (template?.kind === 'licence') {
        return html`<p role="status">Active.</p>
          <h2>Licence file</h2>
          ${
            input.licenceIssuedAt === null
              ? null
              : html`<p class="muted">Issued ${formatDateTime(input.licenceIssuedAt)}.</p>`
          }
          <a class="button" href="/account/codes/${held.code}/licence" download
            >Download the licence file</a
          >
          <h2>Seat holders</h2>
          <ol class="seats">
            ${input.seats.map((seat) => html`<li>${seat.email}</li>`)}
          </ol>
          <h2>Change the seat holders</h2>
          <p>A new licence file is issued; the old one stops being the current one.</p>
          ${registerForm({
            action: `/account/codes/${held.code}/seats`,
            csrf: input.csrf,
            template: { ...template, onboarding: [] },
            state: input.seatsForm ?? {
              typed: { values: {}, seatsText: input.seats.map((seat) => seat.email).join('\n') },
              errors: {},
            },
            button: 'Issue a new licence file',
          })}`;
      }
      if (template?.kind === 'gift_card') {
        return html`<p role="status">
          Active: spend it at ${held.storeName}'s counter, in one go or in parts.
        </p>`;
      }
      return html`<p role="status">
        Active: show this code at
        ${held.storeName}${template?.kind === 'ticket' ? ' at the entrance' : ''}; staff mark it
        used.
      </p>`;
    case 'consumed':
      return html`<p role="status">
        Used${held.consumedAt === null ? '' : ` on ${formatDateTime(held.consumedAt)}`}.
      </p>`;
    case 'expired':
      return html`<p role="status">This code has expired and can no longer be used.</p>`;
    case 'voided':
      return html`<p role="status">
        ${held.storeName} voided this code (for example after a refund). Ask the shop if you think
        this is wrong.
      </p>`;
    default:
      return html`<p role="status">${ENTITLEMENT_STATE_LABELS[held.state]}.</p>`;
  }
}

export function heldCodePage(input: {
  readonly held: HeldEntitlement;
  readonly csrf: string;
  readonly balance: string | null;
  readonly seats: readonly SeatAssignment[];
  readonly licenceIssuedAt: string | null;
  readonly form?: FormState | undefined;
  readonly seatsForm?: FormState | undefined;
}): string {
  const { held } = input;
  return layout(
    held.productName,
    html`<h1>${held.productName}</h1>
      <dl>
        <dt>Code</dt>
        <dd class="code">${formatCode(held.code)}</dd>
        <dt>Shop</dt>
        <dd>${held.storeName}</dd>
        <dt>Status</dt>
        <dd data-state="${held.state}">${ENTITLEMENT_STATE_LABELS[held.state]}</dd>
        ${
          held.expiresAt === null
            ? null
            : html`<dt>Validity</dt>
                <dd>${formatValidity(held.expiresAt, held.state === 'expired')}</dd>`
        }
        ${kindDetails(held, input)}
      </dl>
      ${nextStep(held, input)} ${held.state === 'claimed' ? null : registeredValues(held)}
      ${backToAccount}`,
  );
}

/** "Registered — what happens next", after the form was accepted (303 to here). */
export function registeredPage(held: HeldEntitlement): string {
  const template = held.template;
  const next =
    held.state === 'onboarded'
      ? html`<p>
          ${held.storeName} is activating it now. We e-mail you, and this code's page says Active,
          when it is done.
        </p>`
      : template?.kind === 'licence'
        ? html`<p>
            It is active. Download the licence file from the code's page; each seat holder got an
            e-mail.
          </p>`
        : template?.kind === 'gift_card'
          ? html`<p>
              It is active. Spend it at ${held.storeName}'s counter, in one go or in parts; its page
              shows the balance.
            </p>`
          : template?.kind === 'ticket'
            ? html`<p>
                It is active. Show the code at the entrance of ${template.eventName} on
                ${formatDateTime(template.eventDate)}.
              </p>`
            : html`<p>It is active. Show the code at ${held.storeName} when you use it.</p>`;
  return layout(
    'Registered',
    html`<h1>Registered — what happens next</h1>
      <p role="status">
        Your ${held.productName} is registered. We sent you a confirmation e-mail.
      </p>
      ${next}
      <p><a href="/account/codes/${held.code}">See the code</a></p>
      ${backToAccount}`,
  );
}

/** A code claimed before its sale arrived: the holder may register it already. */
export function provisionalCodePage(input: {
  readonly held: HeldProvisional;
  readonly csrf: string;
  readonly chosen?: { readonly id: string; readonly template: ProductTemplate } | undefined;
  readonly form?: FormState | undefined;
}): string {
  const { held } = input;
  const shown = formatCode(held.code);
  let body: SafeHtml;
  if (held.state === 'cancelled') {
    body = html`<p role="status">Claim cancelled: ${held.reason ?? 'the sale did not arrive'}.</p>
      <p>Ask the shop about your purchase; keep your receipt.</p>`;
  } else if (held.stored !== null) {
    body = html`<p role="status">
      Registered. It becomes active by itself when ${held.storeName}'s sale arrives; we e-mail you
      then.
    </p>`;
  } else if (input.chosen === undefined) {
    body =
      held.choices.length === 0
        ? html`<p>Nothing to register yet; it becomes active when the sale arrives.</p>`
        : html`<h2>Register it now</h2>
            <p>You can register it before the sale arrives. What did you buy?</p>
            <form method="get" action="/account/codes/${held.code}" class="register">
              <label for="product">Product</label>
              <select id="product" name="product" required>
                ${held.choices.map((choice) => html`<option value="${choice.id}">${choice.name}</option>`)}
              </select>
              <button type="submit" class="primary">Continue</button>
            </form>`;
  } else {
    body = html`<h2>Register it now</h2>
      ${registerForm({
        action: `/account/codes/${held.code}/onboard`,
        csrf: input.csrf,
        template: input.chosen.template,
        state: input.form,
        hidden: { product: input.chosen.id },
        button: 'Register',
      })}`;
  }
  return layout(
    'Your code',
    html`<h1>Your code</h1>
      <dl>
        <dt>Code</dt>
        <dd class="code">${shown}</dd>
        <dt>Shop</dt>
        <dd>${held.storeName}</dd>
        <dt>Status</dt>
        <dd data-state="provisional-${held.state}">
          ${held.state === 'waiting' ? "Claimed — waiting for the shop's sale to arrive" : 'Claim cancelled'}
        </dd>
      </dl>
      ${
        held.state === 'waiting'
          ? html`<p class="muted">
              If the sale has not arrived by ${formatDateTime(held.deadline)}, the claim is
              cancelled.
            </p>`
          : null
      }
      ${body} ${backToAccount}`,
  );
}

/** After registering a code whose sale has not arrived. */
export function provisionalRegisteredPage(held: HeldProvisional): string {
  return layout(
    'Registered',
    html`<h1>Registered — what happens next</h1>
      <p role="status">
        We keep what you registered. When ${held.storeName}'s sale of code ${formatCode(held.code)}
        arrives, the code becomes active by itself and we e-mail you.
      </p>
      <p><a href="/account/codes/${held.code}">See the code</a></p>
      ${backToAccount}`,
  );
}
