/**
 * Stripe's request bodies are form-encoded with bracketed keys: `metadata[saleId]=s1`,
 * `payment_method_types[0]=card_present`, `expand[]=latest_charge`. This turns them back into
 * nested values (arrays for numeric or empty brackets), as Stripe's API reads them.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const [head = key, ...rest] = key.split('[');
    const path = [head, ...rest.map((part) => part.replace(/\]$/, ''))];
    put(root, path, value);
  }
  return root;
}

function put(target: Record<string, FormValue> | FormValue[], path: string[], value: string) {
  const [key = '', ...rest] = path;
  const slot = (
    container: Record<string, FormValue> | FormValue[],
    k: string,
  ): FormValue | undefined => (Array.isArray(container) ? container[Number(k)] : container[k]);
  const set = (container: Record<string, FormValue> | FormValue[], k: string, v: FormValue) => {
    if (Array.isArray(container)) {
      if (k === '') container.push(v);
      else container[Number(k)] = v;
    } else container[k] = v;
  };
  if (rest.length === 0) {
    set(target, key, value);
    return;
  }
  const next = rest[0] ?? '';
  let child = key === '' ? undefined : slot(target, key);
  if (child === undefined || typeof child === 'string') {
    child = next === '' || /^\d+$/.test(next) ? [] : {};
    set(target, key, child);
  }
  put(child, rest, value);
}

/** A top-level string parameter, or undefined. */
export function stringParam(form: Record<string, FormValue>, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
}
