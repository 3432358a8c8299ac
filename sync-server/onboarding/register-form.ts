import type { FieldDefinition } from '../../shared/templates/onboarding-fields.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { hiddenCsrf } from '../customers/pages.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { SEATS_FIELD, type TypedForm } from './submission.ts';

/**
 * The registration form a template asks for, generated from its fields (and a licence's seats
 * textarea): labels, types, limits, and each field's error next to it, values kept on error.
 */

/** The form as last posted, with one message per field that needs fixing. */
export type FormState = {
  readonly typed: TypedForm;
  readonly errors: Readonly<Record<string, string>>;
};

function inputOf(field: FieldDefinition, value: string, error: string | undefined): SafeHtml {
  const id = `field-${field.name}`;
  // The date hint and the error both describe the field, so a screen reader reads both.
  const describedBy = [
    field.type === 'date' ? `${id}-hint` : null,
    error === undefined ? null : `${id}-error`,
  ].filter((part) => part !== null);
  const invalid = html`${error === undefined ? null : html` aria-invalid="true"`}${
    describedBy.length === 0 ? null : html` aria-describedby="${describedBy.join(' ')}"`
  }`;
  const autocomplete =
    field.type === 'email'
      ? 'email'
      : field.type === 'tel'
        ? 'tel'
        : field.type === 'date'
          ? 'off'
          : 'name';
  return html`<label for="${id}">${field.label}${field.required ? null : html` (optional)`}</label>
    ${field.type === 'date' ? html`<p class="hint" id="${id}-hint">Written as YYYY-MM-DD.</p>` : null}
    <input
      id="${id}"
      name="${field.name}"
      type="${field.type}"
      value="${value}"
      maxlength="${field.maxLength}"
      autocomplete="${autocomplete}"
      ${field.required ? html` required` : null}${invalid}
    />
    ${error === undefined ? null : html`<p id="${id}-error" class="error" role="alert">${error}</p>`}`;
}

function seatsInput(seats: number, text: string, error: string | undefined): SafeHtml {
  const invalid =
    error === undefined
      ? html` aria-describedby="seats-hint"`
      : html` aria-invalid="true" aria-describedby="seats-hint seats-error"`;
  return html`<label for="seats">Seat holders</label>
    <p class="hint" id="seats-hint">
      One e-mail address per line, up to ${seats}. Each person gets an e-mail about their seat.
    </p>
    <textarea
      id="seats"
      name="${SEATS_FIELD}"
      rows="${Math.min(Math.max(seats, 3), 12)}"
      autocomplete="off"
      spellcheck="false"
      required${invalid}
    >
${text}</textarea>
    ${error === undefined ? null : html`<p id="seats-error" class="error" role="alert">${error}</p>`}`;
}

/** The template's fields, and a licence's seats textarea, as one plain form. */
export function registerForm(input: {
  readonly action: string;
  readonly csrf: string;
  readonly template: ProductTemplate;
  readonly state?: FormState | undefined;
  readonly hidden?: Readonly<Record<string, string>>;
  readonly button: string;
}): SafeHtml {
  const { template, state } = input;
  const errors = state?.errors ?? {};
  const fields = template.onboarding.map((field) =>
    inputOf(field, state?.typed.values[field.name] ?? '', errors[field.name]),
  );
  const seats =
    template.kind === 'licence'
      ? seatsInput(template.seats, state?.typed.seatsText ?? '', errors[SEATS_FIELD])
      : null;
  const hidden = Object.entries(input.hidden ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  const count = Object.keys(errors).length;
  return html`<form method="post" action="${input.action}" class="register" novalidate>
    ${
      count === 0
        ? null
        : html`<p class="error" role="alert">
            ${count === 1 ? 'One field needs' : `${count} fields need`} fixing; see below.
          </p>`
    }
    ${hiddenCsrf(input.csrf)} ${hidden} ${fields} ${seats}
    <button type="submit" class="primary">${input.button}</button>
  </form>`;
}
