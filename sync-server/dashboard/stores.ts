import type { FastifyInstance } from 'fastify';
import { CurrencyCode } from '../../shared/money.ts';
import { isoNow, newId, type AppContext } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { formField } from '../redeem/portal-scope.ts';
import { html } from '../redeem/html.ts';
import { ensureStoreSettings } from '../staff/store-settings.ts';
import { recordDashboardAction } from './actions.ts';
import {
  csrfField,
  dashboardPage,
  flashFromQuery,
  sendPage,
  shortDateTime,
  type Flash,
} from './layout.ts';
import { requireDashboardUser, type DashboardUser } from './session.ts';
import { field, type FieldErrors } from './form-fields.ts';
import { seesEveryStore } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

const NOTICES = {
  added: 'Store created. Add its staff and products, then pair its terminals.',
};

/** A currency the runtime can format: a well-formed code that is not a real currency is refused. */
function isKnownCurrency(code: string): boolean {
  if (!CurrencyCode.safeParse(code).success) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

export function storeRoutes(scope: FastifyInstance, ctx: AppContext): void {
  /** Stores are made by admins of every store only. */
  const requireOwner = async (request: Parameters<typeof requireDashboardUser>[1]) => {
    const user = await requireDashboardUser(ctx, request, 'admin');
    if (!seesEveryStore(user)) {
      throw new HttpError(403, 'forbidden', 'Only an admin of every store can manage stores.');
    }
    return user;
  };

  const page = async (
    user: DashboardUser,
    typed: { name: string; currency: string },
    errors: FieldErrors,
    flash: Flash | undefined,
  ): Promise<string> => {
    const stores = await ctx.db
      .selectFrom('stores')
      .select((eb) => [
        'stores.id',
        'stores.name',
        'stores.currency',
        'stores.created_at',
        eb
          .selectFrom('terminals')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('terminals.store_id', '=', 'stores.id')
          .where('terminals.revoked_at', 'is', null)
          .as('terminals'),
        eb
          .selectFrom('staff')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('staff.store_id', '=', 'stores.id')
          .where('staff.active', '=', 1)
          .as('staff'),
      ])
      .orderBy('stores.name')
      .execute();
    const rows = stores.map(
      (store) =>
        html`<tr>
          <td>${store.name}</td>
          <td>${store.currency}</td>
          <td class="num">${store.terminals ?? 0}</td>
          <td class="num">${store.staff ?? 0}</td>
          <td>${shortDateTime(store.created_at)}</td>
          <td>
            <a href="/dashboard/catalogue?store=${store.id}">Catalogue</a>
          </td>
        </tr>`,
    );
    const body = html`<table>
        <thead>
          <tr>
            <th scope="col">Store</th>
            <th scope="col">Currency</th>
            <th scope="col" class="num">Terminals</th>
            <th scope="col" class="num">Staff</th>
            <th scope="col">Created</th>
            <th scope="col"><span class="sr-only">Links</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      <section class="panel" aria-labelledby="new-store">
        <h2 id="new-store">New store</h2>
        <form method="post" action="/dashboard/stores" class="stack">
          ${csrfField(user)}
          ${field({ name: 'name', label: 'Name', value: typed.name, errors, required: true })}
          ${field({
            name: 'currency',
            label: 'Currency',
            value: typed.currency,
            hint: 'The ISO code its prices are in, like EUR, GBP or USD. It cannot change later.',
            errors,
            required: true,
          })}
          <div><button type="submit" class="primary">Create store</button></div>
        </form>
      </section>`;
    return dashboardPage({
      title: 'Stores',
      user,
      body,
      current: 'stores',
      ...(flash ? { flash } : {}),
    });
  };

  scope.get('/dashboard/stores', async (request, reply) => {
    const user = await requireOwner(request);
    const flash = flashFromQuery(request.query, NOTICES);
    return sendPage(reply, 200, await page(user, { name: '', currency: 'EUR' }, {}, flash));
  });

  scope.post('/dashboard/stores', async (request, reply) => {
    const user = await requireOwner(request);
    const typed = {
      name: formField(request.body, 'name').trim(),
      currency: formField(request.body, 'currency').trim().toUpperCase(),
    };
    const errors: FieldErrors = {};
    if (typed.name === '' || typed.name.length > 120) {
      errors.name = 'Give a name of 1 to 120 characters.';
    }
    if (!isKnownCurrency(typed.currency)) {
      errors.currency = 'Type a three-letter ISO currency code, like EUR.';
    }
    if (Object.keys(errors).length > 0) {
      const flash: Flash = { kind: 'error', text: 'Nothing was saved. Correct the marked fields.' };
      return sendPage(reply, 400, await page(user, typed, errors, flash));
    }
    await inTransaction(ctx.db, async (trx) => {
      const id = newId('store', ctx.randomBytes);
      await trx
        .insertInto('stores')
        .values({ id, name: typed.name, currency: typed.currency, created_at: isoNow(ctx.clock) })
        .execute();
      await ensureStoreSettings(trx, id, ctx.clock);
      await recordDashboardAction(
        trx,
        { user, storeId: id, action: 'store.create', subject: id, detail: typed },
        ctx,
      );
    });
    return reply.redirect('/dashboard/stores?done=added', 303);
  });
}
