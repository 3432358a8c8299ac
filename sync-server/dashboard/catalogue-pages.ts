import { formatMoney } from '../../shared/money.ts';
import { formatPercent } from '../../shared/pricing/percent.ts';
import { PRODUCT_KIND_LABELS, ProductKind } from '../../shared/schemas/product.ts';
import type { ProductsTable, TaxClassesTable } from '../db/schema.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { csrfField, dashboardPage, type Flash } from './layout.ts';
import type { ProductFormValues } from './product-form.ts';
import type { DashboardUser } from './session.ts';
import { dataTable, unlabelled } from './html-parts.ts';
import { field, type FieldErrors } from './form-fields.ts';
import type { VisibleStore } from './visible-stores.ts';

export type CatalogueRow = ProductsTable & { readonly templateKind: string | null };

function kindLabel(kind: string): string {
  const parsed = ProductKind.safeParse(kind);
  return parsed.success ? PRODUCT_KIND_LABELS[parsed.data] : kind;
}

function taxLabel(taxClass: TaxClassesTable): string {
  return `${taxClass.name} ${formatPercent(taxClass.milli_percent)} ${taxClass.inclusive === 1 ? 'included' : 'added'}`;
}

export function catalogueListPage(input: {
  user: DashboardUser;
  stores: readonly VisibleStore[];
  store: VisibleStore;
  products: readonly CatalogueRow[];
  taxClasses: readonly TaxClassesTable[];
  flash?: Flash | undefined;
}): string {
  const { store } = input;
  const taxName = (id: string | null) =>
    id === null ? 'None' : (input.taxClasses.find((t) => t.id === id)?.name ?? id);
  const picker =
    input.stores.length > 1
      ? html`<form method="get" action="/dashboard/catalogue" class="actions">
          <label for="store">Store</label>
          <select id="store" name="store">
            ${input.stores.map(
              (s) =>
                html`<option value="${s.id}" ${s.id === store.id ? html` selected` : null}>
                  ${s.name}
                </option>`,
            )}
          </select>
          <button type="submit">Show</button>
        </form>`
      : null;
  const rows = input.products.map(
    (product) =>
      html`<tr>
        <td>${product.name}</td>
        <td>${kindLabel(product.kind)}</td>
        <td class="num">${formatMoney(product.price, product.currency)}</td>
        <td>${product.barcode ?? '—'}</td>
        <td>${taxName(product.tax_class_id)}</td>
        <td>
          ${product.templateKind === null ? html`<span class="badge warn">None</span>` : kindLabel(product.templateKind)}
        </td>
        <td>
          ${
            product.active === 1
              ? html`<span class="badge ok">On sale</span>`
              : html`<span class="badge off">Off sale</span>`
          }
        </td>
        <td>
          <a href="/dashboard/catalogue/products/${product.id}"
            >Edit<span class="sr-only"> ${product.name}</span></a
          >
        </td>
      </tr>`,
  );
  const body = html`${picker}
    <p>
      <a class="button primary" href="/dashboard/catalogue/new?store=${store.id}"
        >Add a product to ${store.name}</a
      >
    </p>
    ${dataTable({
      columns: [
        'Name',
        'Kind',
        { label: 'Price', numeric: true },
        'Barcode',
        'Tax',
        'Template',
        'Status',
        unlabelled('Actions'),
      ],
      rows,
      empty: `${store.name} has no products yet. Add the first one.`,
      caption: html`<caption class="sr-only">
        Products of ${store.name}
      </caption>`,
    })}`;
  return dashboardPage({
    title: `Catalogue · ${store.name}`,
    user: input.user,
    body,
    current: 'catalogue',
    ...(input.flash ? { flash: input.flash } : {}),
  });
}

export function productFields(input: {
  values: ProductFormValues;
  errors: FieldErrors;
  currency: string;
  taxClasses: readonly TaxClassesTable[];
  kindEditable: boolean;
}): SafeHtml {
  const { values, errors } = input;
  const kinds = ProductKind.options.map(
    (kind) =>
      html`<option value="${kind}" ${kind === values.kind ? html` selected` : null}>
        ${PRODUCT_KIND_LABELS[kind]}
      </option>`,
  );
  return html`${field({ name: 'name', label: 'Name', value: values.name, errors, required: true })}
    ${field({ name: 'description', label: 'Description', value: values.description, errors })}
    ${
      input.kindEditable
        ? html`<div>
            <label for="kind">Kind</label>
            <select id="kind" name="kind">
              ${kinds}
            </select>
            ${errors.kind === undefined ? null : html`<p class="error">${errors.kind}</p>`}
          </div>`
        : html`<input type="hidden" name="kind" value="${values.kind}" />
            <p>Kind: ${kindLabel(values.kind)} (fixed: the template depends on it)</p>`
    }
    ${field({
      name: 'price',
      label: `Price (${input.currency})`,
      value: values.price,
      inputmode: 'decimal',
      hint: 'What the customer pays, tax included when the tax class says so.',
      errors,
      required: true,
    })}
    ${field({
      name: 'barcode',
      label: 'Barcode (optional)',
      value: values.barcode,
      hint: 'What a scanner types: EAN/UPC or your own, 4 to 48 characters.',
      errors,
    })}
    <div>
      <label for="taxClassId">Tax class</label>
      <select id="taxClassId" name="taxClassId">
        <option value="" ${values.taxClassId === '' ? html` selected` : null}>
          None (outside tax, e.g. gift cards)
        </option>
        ${input.taxClasses.map(
          (taxClass) =>
            html`<option
              value="${taxClass.id}"
              ${taxClass.id === values.taxClassId ? html` selected` : null}
            >
              ${taxLabel(taxClass)}
            </option>`,
        )}
      </select>
      ${errors.taxClassId === undefined ? null : html`<p class="error">${errors.taxClassId}</p>`}
    </div>
    <div>
      <label
        ><input type="checkbox" name="active" ${values.active ? html` checked` : null} /> On sale at
        the tills</label
      >
    </div>`;
}

const NOT_SAVED: Flash = { kind: 'error', text: 'Nothing was saved. Correct the marked fields.' };

export function newProductPage(input: {
  user: DashboardUser;
  store: VisibleStore;
  values: ProductFormValues;
  errors: FieldErrors;
  taxClasses: readonly TaxClassesTable[];
}): string {
  const body = html`<form method="post" action="/dashboard/catalogue/products" class="stack panel">
    ${csrfField(input.user)}
    <input type="hidden" name="storeId" value="${input.store.id}" />
    ${productFields({
      values: input.values,
      errors: input.errors,
      currency: input.store.currency,
      taxClasses: input.taxClasses,
      kindEditable: true,
    })}
    <p class="hint">After adding it, give it a template: what its sale issues.</p>
    <div class="actions">
      <button type="submit" class="primary">Add product</button>
      <a href="/dashboard/catalogue?store=${input.store.id}">Cancel</a>
    </div>
  </form>`;
  return dashboardPage({
    title: `New product · ${input.store.name}`,
    user: input.user,
    body,
    current: 'catalogue',
    ...(Object.keys(input.errors).length > 0 ? { flash: NOT_SAVED } : {}),
  });
}

export function editProductPage(input: {
  user: DashboardUser;
  product: ProductsTable;
  values: ProductFormValues;
  errors: FieldErrors;
  taxClasses: readonly TaxClassesTable[];
  templateText: string;
  templateError?: string | undefined;
  flash?: Flash | undefined;
}): string {
  const { product } = input;
  const base = `/dashboard/catalogue/products/${product.id}`;
  const templateError = input.templateError;
  const body = html`<section class="panel" aria-labelledby="product-title">
      <h2 id="product-title">Product</h2>
      <form method="post" action="${base}" class="stack">
        ${csrfField(input.user)}
        ${productFields({
          values: input.values,
          errors: input.errors,
          currency: product.currency,
          taxClasses: input.taxClasses,
          kindEditable: false,
        })}
        <div><button type="submit" class="primary">Save product</button></div>
      </form>
    </section>
    <section class="panel" aria-labelledby="template-title">
      <h2 id="template-title">Template</h2>
      <p>
        What a sale of this product issues: its validity, what the customer registers, and what
        happens then. JSON; checked before it is saved.
      </p>
      <form method="post" action="${base}/template" class="stack">
        ${csrfField(input.user)}
        <label for="template">Template (JSON)</label>
        <textarea
          id="template"
          name="template"
          spellcheck="false"
          ${templateError === undefined ? null : html`aria-invalid="true" aria-describedby="template-error"`}
        >
${input.templateText}</textarea>
        ${
          templateError === undefined
            ? null
            : html`<p class="error" id="template-error">${templateError}</p>`
        }
        <div><button type="submit">Save template</button></div>
      </form>
    </section>
    <p><a href="/dashboard/catalogue?store=${product.store_id}">Back to the catalogue</a></p>`;
  return dashboardPage({
    title: product.name,
    user: input.user,
    body,
    current: 'catalogue',
    ...(input.flash
      ? { flash: input.flash }
      : Object.keys(input.errors).length > 0 || templateError !== undefined
        ? { flash: NOT_SAVED }
        : {}),
  });
}
