import type { FastifyInstance } from 'fastify';
import { pinRefusal } from '../../shared/staff/pin.ts';
import { StaffRole } from '../../shared/staff/staff-member.ts';
import type { AppContext } from '../deps.ts';
import { formField } from '../redeem/portal-scope.ts';
import { passwordRefusal } from '../staff/password.ts';
import { createStaff } from '../staff/staff.ts';
import { publishStaffChange } from '../sync/staff-pull.ts';
import { recordDashboardAction } from './actions.ts';
import type { FieldErrors } from './form-fields.ts';
import { sendPage } from './layout.ts';
import { requireDashboardUser } from './session.ts';
import { CASHIER_NO_DASHBOARD, Name, emailRefusal, firstIssue } from './staff-form.ts';
import { newStaffPage, type NewStaffValues } from './staff-pages.ts';
import { placementRefusal } from './staff-rules.ts';
import { seesEveryStore, storesVisibleTo } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

/** GET /dashboard/staff/new and POST /dashboard/staff: adding a member. */
export function newStaffRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/dashboard/staff/new', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const stores = await storesVisibleTo(ctx.db, user);
    const values: NewStaffValues = {
      name: '',
      role: 'cashier',
      storeId: stores[0]?.id ?? '',
      email: '',
    };
    return sendPage(
      reply,
      200,
      newStaffPage({ user, stores, values, errors: {}, everyStoreAllowed: seesEveryStore(user) }),
    );
  });

  scope.post('/dashboard/staff', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const stores = await storesVisibleTo(ctx.db, user);
    const values: NewStaffValues = {
      name: formField(request.body, 'name'),
      role: formField(request.body, 'role'),
      storeId: formField(request.body, 'storeId'),
      email: formField(request.body, 'email').trim(),
    };
    const pin = formField(request.body, 'pin');
    const password = formField(request.body, 'password');
    const errors: FieldErrors = {};
    const name = Name.safeParse(values.name);
    if (!name.success) errors.name = firstIssue(name);
    const role = StaffRole.safeParse(values.role);
    const storeId = values.storeId === '' ? null : values.storeId;
    if (!role.success) errors.role = 'Choose a role.';
    else {
      const refusal = placementRefusal(user, role.data, storeId);
      if (refusal !== null)
        errors[refusal.startsWith('Only an admin can make') ? 'role' : 'storeId'] = refusal;
    }
    if (pin !== '') errors.pin = pinRefusal(pin) ?? undefined;
    if (values.email !== '' && values.role === 'cashier') {
      errors.email = CASHIER_NO_DASHBOARD;
    } else if (values.email !== '') {
      errors.email = await emailRefusal(ctx, values.email, null);
      errors.password =
        password === ''
          ? 'Give a password to go with the e-mail.'
          : (passwordRefusal(password) ?? undefined);
    } else if (password !== '') {
      errors.email = 'Give the e-mail this password signs in with.';
    }
    const found = Object.fromEntries(
      Object.entries(errors).filter(([, message]) => message !== undefined),
    );
    if (Object.keys(found).length > 0 || !name.success || !role.success) {
      return sendPage(
        reply,
        400,
        newStaffPage({
          user,
          stores,
          values,
          errors: found,
          everyStoreAllowed: seesEveryStore(user),
        }),
      );
    }
    const created = await inTransaction(ctx.db, async (trx) => {
      const row = await createStaff(
        trx,
        {
          storeId,
          name: name.data,
          role: role.data,
          ...(pin === '' ? {} : { pin }),
          ...(values.email === '' ? {} : { email: values.email, password }),
        },
        ctx,
      );
      await recordDashboardAction(
        trx,
        {
          user,
          storeId,
          action: 'staff.create',
          subject: row.id,
          detail: { name: row.name, role: row.role, pin: pin !== '', email: row.email },
        },
        ctx,
      );
      return row;
    });
    await publishStaffChange(ctx, created.store_id);
    return reply.redirect('/dashboard/staff?done=added', 303);
  });
}
