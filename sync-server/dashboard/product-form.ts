import { minorUnitDigits, parseMoneyInput } from '../../shared/money.ts';
import { Barcode, ProductKind } from '../../shared/schemas/product.ts';
import type { Db, ProductsTable } from '../db/schema.ts';
import { formField } from '../redeem/portal-scope.ts';
import type { FieldErrors } from './form-fields.ts';

/** What the product form posts, as typed (shown again when something is wrong). */
export type ProductFormValues = {
  readonly name: string;
  readonly description: string;
  readonly kind: string;
  readonly price: string;
  readonly barcode: string;
  readonly taxClassId: string;
  readonly active: boolean;
};

export type ProductFields = {
  readonly name: string;
  readonly description: string;
  readonly kind: ProductKind;
  readonly price: number;
  readonly barcode: string | null;
  readonly taxClassId: string | null;
  readonly active: boolean;
};

export function productFormValues(body: unknown): ProductFormValues {
  return {
    name: formField(body, 'name').trim(),
    description: formField(body, 'description').trim(),
    kind: formField(body, 'kind'),
    price: formField(body, 'price').trim(),
    barcode: formField(body, 'barcode').trim(),
    taxClassId: formField(body, 'taxClassId'),
    active: formField(body, 'active') === 'on',
  };
}

/**
 * Checks a product form for a store: the same limits the terminals' Product schema holds, a
 * price in the store's currency, a tax class of this store, and a barcode no other product of
 * the store has (a scanner must find one product). Returns the fields or the errors by field.
 */
export async function checkProductForm(
  db: Db,
  input: {
    readonly values: ProductFormValues;
    readonly storeId: string;
    readonly currency: string;
    readonly productId: string | null;
  },
): Promise<{ ok: true; fields: ProductFields } | { ok: false; errors: FieldErrors }> {
  const { values } = input;
  const errors: FieldErrors = {};
  if (values.name === '' || values.name.length > 120)
    errors.name = 'Give a name of 1 to 120 characters.';
  if (values.description.length > 500) errors.description = 'Use at most 500 characters.';
  const kind = ProductKind.safeParse(values.kind);
  if (!kind.success) errors.kind = 'Choose what the product issues.';
  const price = parseMoneyInput(values.price, input.currency);
  if (price === null) errors.price = `Type the price in ${input.currency}, like 25 or 12.50.`;
  let barcode: string | null = null;
  if (values.barcode !== '') {
    const parsed = Barcode.safeParse(values.barcode);
    if (!parsed.success) errors.barcode = parsed.error.issues[0]?.message ?? 'Not a barcode.';
    else {
      barcode = parsed.data;
      const holder = await db
        .selectFrom('products')
        .select(['id', 'name'])
        .where('store_id', '=', input.storeId)
        .where('barcode', '=', barcode)
        .executeTakeFirst();
      if (holder && holder.id !== input.productId) {
        errors.barcode = `"${holder.name}" already has this barcode; a scan must find one product.`;
      }
    }
  }
  let taxClassId: string | null = null;
  if (values.taxClassId !== '') {
    const taxClass = await db
      .selectFrom('tax_classes')
      .select('id')
      .where('id', '=', values.taxClassId)
      .where('store_id', '=', input.storeId)
      .executeTakeFirst();
    if (taxClass) taxClassId = taxClass.id;
    else errors.taxClassId = "Choose one of this store's tax classes, or none.";
  }
  if (!kind.success || price === null || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return {
    ok: true,
    fields: {
      name: values.name,
      description: values.description,
      kind: kind.data,
      price,
      barcode,
      taxClassId,
      active: values.active,
    },
  };
}

/** "25.00" for 2500 EUR: the price as typed in the form, without currency symbol. */
function priceText(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amount);
  const text = String(amount).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function valuesOf(product: ProductsTable): ProductFormValues {
  return {
    name: product.name,
    description: product.description,
    kind: product.kind,
    price: priceText(product.price, product.currency),
    barcode: product.barcode ?? '',
    taxClassId: product.tax_class_id ?? '',
    active: product.active === 1,
  };
}
