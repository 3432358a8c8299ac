import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatPercent, parsePercentInput } from '../../shared/pricing/percent.ts';
import {
  MAX_IDLE_LOCK_SECONDS,
  MIN_IDLE_LOCK_SECONDS,
} from '../../shared/schemas/store-settings.ts';
import type { StoreSettingsTable } from '../db/schema.ts';
import type { AppContext } from '../deps.ts';
import { formField } from '../redeem/portal-scope.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { ensureStoreSettings, updateStoreSettings } from '../staff/store-settings.ts';
import { publishSettingsChange } from '../sync/staff-pull.ts';
import { recordDashboardAction } from './actions.ts';
import { csrfField, dashboardPage, flashFromQuery, sendPage, type Flash } from './layout.ts';
import { requireDashboardUser, type DashboardUser } from './session.ts';
import { field, type FieldErrors } from './form-fields.ts';
import { requireVisibleStore, storesVisibleTo, type VisibleStore } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

type StoreRequest = FastifyRequest<{ Params: { storeId: string } }>;

const NOTICES = { saved: 'Settings saved. The tills get them at their next sync.' };

type Typed = { readonly storeId: string; readonly discount: string; readonly idle: string };

function settingsForm(
  user: DashboardUser,
  store: VisibleStore,
  row: StoreSettingsTable,
  typed: Typed | null,
  errors: FieldErrors,
): SafeHtml {
  const mine = typed?.storeId === store.id;
  const ids = (name: string) => `${name}-${store.id}`;
  const scoped: FieldErrors = mine
    ? { [ids('discount')]: errors.discount, [ids('idle')]: errors.idle }
    : {};
  return html`<section class="panel" aria-labelledby="${ids('title')}">
    <h2 id="${ids('title')}">${store.name}</h2>
    <form method="post" action="/dashboard/settings/${store.id}" class="stack">
      ${csrfField(user)}
      ${field({
        name: ids('discount'),
        label: 'Discounts above this need a manager (%)',
        value: mine
          ? typed.discount
          : formatPercent(row.discount_approval_milli_percent).replace('%', ''),
        inputmode: 'decimal',
        hint: '0 to 100, up to three decimals. 0: every discount needs a manager; 100: none does.',
        errors: scoped,
      })}
      ${field({
        name: ids('idle'),
        label: 'Lock the till after this many idle seconds',
        type: 'number',
        value: mine ? typed.idle : String(row.idle_lock_seconds),
        inputmode: 'numeric',
        hint: `${String(MIN_IDLE_LOCK_SECONDS)} to ${String(MAX_IDLE_LOCK_SECONDS)} seconds.`,
        errors: scoped,
      })}
      <div><button type="submit" class="primary">Save settings for ${store.name}</button></div>
    </form>
  </section>`;
}

export function settingsRoutes(scope: FastifyInstance, ctx: AppContext): void {
  const page = async (
    user: DashboardUser,
    typed: Typed | null,
    errors: FieldErrors,
    flash: Flash | undefined,
  ): Promise<string> => {
    const stores = await storesVisibleTo(ctx.db, user);
    const forms: SafeHtml[] = [];
    for (const store of stores) {
      const row = await ensureStoreSettings(ctx.db, store.id, ctx.clock);
      forms.push(settingsForm(user, store, row, typed, errors));
    }
    const body = html`<p>The rules each store's tills follow, even offline.</p>
      ${forms.length === 0 ? html`<p class="empty">You have no stores yet.</p>` : forms}`;
    return dashboardPage({
      title: 'Settings',
      user,
      body,
      current: 'settings',
      ...(flash ? { flash } : {}),
    });
  };

  scope.get('/dashboard/settings', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    return sendPage(reply, 200, await page(user, null, {}, flashFromQuery(request.query, NOTICES)));
  });

  scope.post('/dashboard/settings/:storeId', async (request: StoreRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const store = await requireVisibleStore(ctx.db, user, request.params.storeId);
    const typed: Typed = {
      storeId: store.id,
      discount: formField(request.body, `discount-${store.id}`),
      idle: formField(request.body, `idle-${store.id}`).trim(),
    };
    const discount = parsePercentInput(typed.discount);
    const idle = /^\d{1,5}$/.test(typed.idle) ? Number(typed.idle) : Number.NaN;
    const errors: FieldErrors = {};
    if (discount === null) errors.discount = 'Type a percentage from 0 to 100, like 10 or 12.5.';
    if (!(idle >= MIN_IDLE_LOCK_SECONDS && idle <= MAX_IDLE_LOCK_SECONDS)) {
      errors.idle = `Type a whole number of seconds from ${String(MIN_IDLE_LOCK_SECONDS)} to ${String(MAX_IDLE_LOCK_SECONDS)}.`;
    }
    if (discount === null || Object.keys(errors).length > 0) {
      const flash: Flash = { kind: 'error', text: 'Nothing was saved. Correct the marked field.' };
      return sendPage(reply, 400, await page(user, typed, errors, flash));
    }
    await inTransaction(ctx.db, async (trx) => {
      const before = await ensureStoreSettings(trx, store.id, ctx.clock);
      await updateStoreSettings(
        trx,
        store.id,
        { discountApprovalMilliPercent: discount, idleLockSeconds: idle },
        ctx.clock,
      );
      await recordDashboardAction(
        trx,
        {
          user,
          storeId: store.id,
          action: 'settings.update',
          subject: store.id,
          detail: {
            from: {
              discountApprovalMilliPercent: before.discount_approval_milli_percent,
              idleLockSeconds: before.idle_lock_seconds,
            },
            to: { discountApprovalMilliPercent: discount, idleLockSeconds: idle },
          },
        },
        ctx,
      );
    });
    publishSettingsChange(ctx, store.id);
    return reply.redirect('/dashboard/settings?done=saved', 303);
  });
}
