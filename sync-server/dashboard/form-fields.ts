import { html, type SafeHtml } from '../redeem/html.ts';

/** Messages by field name; a field without one is fine. */
export type FieldErrors = Partial<Record<string, string>>;

/** A labelled input with its error, wired for screen readers. */
export function field(input: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  errors: FieldErrors;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
}): SafeHtml {
  const error = input.errors[input.name];
  const described = [
    input.hint === undefined ? null : `${input.name}-hint`,
    error === undefined ? null : `${input.name}-error`,
  ]
    .filter((id) => id !== null)
    .join(' ');
  return html`<div>
    <label for="${input.name}">${input.label}</label>
    <input
      id="${input.name}"
      name="${input.name}"
      type="${input.type ?? 'text'}"
      value="${input.value ?? ''}"
      autocomplete="${input.autocomplete ?? 'off'}"
      ${input.inputmode === undefined ? null : html`inputmode="${input.inputmode}"`}
      ${described === '' ? null : html`aria-describedby="${described}"`}
      ${error === undefined ? null : html`aria-invalid="true"`}
      ${input.required === true ? html`required` : null}
    />
    ${input.hint === undefined ? null : html`<p class="hint" id="${input.name}-hint">${input.hint}</p>`}
    ${error === undefined ? null : html`<p class="error" id="${input.name}-error">${error}</p>`}
  </div>`;
}
