import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db, ProductsTable } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, newId, type AppContext } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { formField } from '../redeem/portal-scope.ts';
import { TemplateRefused, setProductTemplate, templateOf } from '../templates/templates.ts';
import { recordDashboardAction } from './actions.ts';
import {
  catalogueListPage,
  editProductPage,
  newProductPage,
  type CatalogueRow,
} from './catalogue-pages.ts';
import { flashFromQuery, queryParam, sendPage } from './layout.ts';
import {
  checkProductForm,
  productFormValues,
  valuesOf,
  type ProductFormValues,
} from './product-form.ts';
import { requireDashboardUser, type DashboardUser } from './session.ts';
import type { FieldErrors } from './form-fields.ts';
import { requireVisibleStore, storesVisibleTo, type VisibleStore } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NOTICES = {
  added: 'Product added. Give it a template below; the tills get it at their next sync.',
  saved: 'Product saved. The tills get it at their next sync.',
  template: 'Template saved. The tills get it at their next sync.',
};

/** Only the kind, for the list: a template the rules no longer accept still shows what it was. */
const TemplateKind = z.object({ kind: z.string() });
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const taxClassesOf = (db: Db, storeId: string) =>
  db
    .selectFrom('tax_classes')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('name')
    .execute();

export function catalogueRoutes(scope: FastifyInstance, ctx: AppContext): void {
  /** The store of `?store=`, or the first the user sees; 404 when they see none. */
  const chosenStore = async (user: DashboardUser, wanted: string): Promise<VisibleStore> => {
    if (wanted !== '') return requireVisibleStore(ctx.db, user, wanted);
    const [first] = await storesVisibleTo(ctx.db, user);
    if (!first) throw new HttpError(404, 'no_store', 'You have no stores yet. Ask an admin.');
    return first;
  };

  const visibleProduct = async (user: DashboardUser, id: string): Promise<ProductsTable> => {
    const product = await ctx.db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    const missing = new HttpError(
      404,
      'product_not_found',
      'There is no such product among yours.',
    );
    if (!product) throw missing;
    await requireVisibleStore(ctx.db, user, product.store_id).catch(() => {
      throw missing;
    });
    return product;
  };

  /** The template as text to edit; one that no longer passes the rules is shown with why, to fix. */
  const storedTemplate = async (
    productId: string,
  ): Promise<{ text: string; error?: string | undefined }> => {
    try {
      const template = await templateOf(ctx.db, productId);
      return { text: template ? JSON.stringify(template, null, 2) : '' };
    } catch (error) {
      const row = await ctx.db
        .selectFrom('product_templates')
        .select('template')
        .where('product_id', '=', productId)
        .executeTakeFirst();
      const reason = error instanceof Error ? error.message : String(error);
      return { text: row?.template ?? '', error: `${reason}. Correct it and save.` };
    }
  };

  const editPage = async (
    user: DashboardUser,
    product: ProductsTable,
    overrides: {
      values?: ProductFormValues;
      errors?: FieldErrors;
      templateText?: string;
      templateError?: string;
      query?: unknown;
    } = {},
  ): Promise<string> => {
    const stored = await storedTemplate(product.id);
    return editProductPage({
      user,
      product,
      values: overrides.values ?? valuesOf(product),
      errors: overrides.errors ?? {},
      taxClasses: await taxClassesOf(ctx.db, product.store_id),
      templateText: overrides.templateText ?? stored.text,
      templateError: overrides.templateError ?? stored.error,
      flash: flashFromQuery(overrides.query, NOTICES),
    });
  };

  scope.get('/dashboard/catalogue', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const store = await chosenStore(user, queryParam(request.query, 'store'));
    const rows = await ctx.db
      .selectFrom('products')
      .leftJoin('product_templates', 'product_templates.product_id', 'products.id')
      .selectAll('products')
      .select('product_templates.template')
      .where('products.store_id', '=', store.id)
      .orderBy('products.name')
      .execute();
    const products: CatalogueRow[] = rows.map(({ template, ...product }) => {
      const kind = TemplateKind.safeParse(template === null ? null : safeJson(template));
      return { ...product, templateKind: kind.success ? kind.data.kind : null };
    });
    return sendPage(
      reply,
      200,
      catalogueListPage({
        user,
        stores: await storesVisibleTo(ctx.db, user),
        store,
        products,
        taxClasses: await taxClassesOf(ctx.db, store.id),
        flash: flashFromQuery(request.query, NOTICES),
      }),
    );
  });

  scope.get('/dashboard/catalogue/new', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const store = await chosenStore(user, queryParam(request.query, 'store'));
    const values: ProductFormValues = {
      name: '',
      description: '',
      kind: 'voucher',
      price: '',
      barcode: '',
      taxClassId: '',
      active: true,
    };
    const taxClasses = await taxClassesOf(ctx.db, store.id);
    return sendPage(reply, 200, newProductPage({ user, store, values, errors: {}, taxClasses }));
  });

  scope.post('/dashboard/catalogue/products', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const store = await requireVisibleStore(ctx.db, user, formField(request.body, 'storeId'));
    const values = productFormValues(request.body);
    const checked = await checkProductForm(ctx.db, {
      values,
      storeId: store.id,
      currency: store.currency,
      productId: null,
    });
    if (!checked.ok) {
      const taxClasses = await taxClassesOf(ctx.db, store.id);
      return sendPage(
        reply,
        400,
        newProductPage({ user, store, values, errors: checked.errors, taxClasses }),
      );
    }
    const { fields } = checked;
    const id = newId('prod', ctx.randomBytes);
    await inTransaction(ctx.db, async (trx) => {
      await trx
        .insertInto('products')
        .values({
          id,
          store_id: store.id,
          name: fields.name,
          description: fields.description,
          kind: fields.kind,
          price: fields.price,
          currency: store.currency,
          active: fields.active ? 1 : 0,
          barcode: fields.barcode,
          tax_class_id: fields.taxClassId,
          updated_at: isoNow(ctx.clock),
          seq: await nextSeq(trx),
        })
        .execute();
      await recordDashboardAction(
        trx,
        { user, storeId: store.id, action: 'product.create', subject: id, detail: { ...fields } },
        ctx,
      );
    });
    ctx.notifier.publish(store.id, ['products']);
    return reply.redirect(`/dashboard/catalogue/products/${id}?done=added`, 303);
  });

  scope.get('/dashboard/catalogue/products/:id', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const product = await visibleProduct(user, request.params.id);
    return sendPage(reply, 200, await editPage(user, product, { query: request.query }));
  });

  scope.post('/dashboard/catalogue/products/:id', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const product = await visibleProduct(user, request.params.id);
    // The kind is fixed once sold: the template and past codes depend on it.
    const values = { ...productFormValues(request.body), kind: product.kind };
    const checked = await checkProductForm(ctx.db, {
      values,
      storeId: product.store_id,
      currency: product.currency,
      productId: product.id,
    });
    if (!checked.ok) {
      return sendPage(
        reply,
        400,
        await editPage(user, product, { values, errors: checked.errors }),
      );
    }
    const { fields } = checked;
    await inTransaction(ctx.db, async (trx) => {
      await trx
        .updateTable('products')
        .set({
          name: fields.name,
          description: fields.description,
          price: fields.price,
          active: fields.active ? 1 : 0,
          barcode: fields.barcode,
          tax_class_id: fields.taxClassId,
          updated_at: isoNow(ctx.clock),
          seq: await nextSeq(trx),
        })
        .where('id', '=', product.id)
        .execute();
      await recordDashboardAction(
        trx,
        {
          user,
          storeId: product.store_id,
          action: 'product.update',
          subject: product.id,
          detail: {
            from: {
              name: product.name,
              description: product.description,
              price: product.price,
              active: product.active === 1,
              barcode: product.barcode,
              taxClassId: product.tax_class_id,
            },
            to: { ...fields },
          },
        },
        ctx,
      );
    });
    ctx.notifier.publish(product.store_id, ['products']);
    return reply.redirect(`/dashboard/catalogue/products/${product.id}?done=saved`, 303);
  });

  scope.post('/dashboard/catalogue/products/:id/template', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const product = await visibleProduct(user, request.params.id);
    const text = formField(request.body, 'template');
    const refuse = async (message: string) =>
      sendPage(
        reply,
        400,
        await editPage(user, product, { templateText: text, templateError: message }),
      );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? ` (${error.message})` : '';
      return refuse(`This is not valid JSON${detail}. Check the quotes, commas and braces.`);
    }
    try {
      await inTransaction(ctx.db, async (trx) => {
        const before = await templateOf(trx, product.id);
        const saved = await setProductTemplate(trx, product.id, json, ctx.clock);
        await recordDashboardAction(
          trx,
          {
            user,
            storeId: product.store_id,
            action: 'product.template',
            subject: product.id,
            detail: { from: before ?? null, to: saved },
          },
          ctx,
        );
      });
    } catch (error) {
      if (error instanceof TemplateRefused) return refuse(error.message);
      throw error;
    }
    ctx.notifier.publish(product.store_id, ['products']);
    return reply.redirect(`/dashboard/catalogue/products/${product.id}?done=template`, 303);
  });
}
