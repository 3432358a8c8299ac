import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pinRefusal } from '../../shared/staff/pin.ts';
import { StaffRole } from '../../shared/staff/staff-member.ts';
import type { StaffTable } from '../db/schema.ts';
import type { AppContext } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { formField } from '../redeem/portal-scope.ts';
import { html } from '../redeem/html.ts';
import { passwordRefusal } from '../staff/password.ts';
import { findStaff, updateStaff, type StaffChange } from '../staff/staff.ts';
import { publishStaffChange } from '../sync/staff-pull.ts';
import { recordDashboardAction } from './actions.ts';
import type { FieldErrors } from './form-fields.ts';
import { csrfField, dashboardPage, flashFromQuery, sendPage } from './layout.ts';
import { requireDashboardUser, revokeSessionsOf, type DashboardUser } from './session.ts';
import { CASHIER_NO_DASHBOARD, Name, emailRefusal, firstIssue } from './staff-form.ts';
import { newStaffRoutes } from './staff-new-routes.ts';
import { editStaffPage, staffListPage } from './staff-pages.ts';
import { canManageStaff, canSeeStaff, placementRefusal } from './staff-rules.ts';
import { storesVisibleTo } from './visible-stores.ts';
import { inTransaction } from '../db/transaction.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NOTICES = {
  added: 'Staff member added. The tills get them at their next sync.',
  saved: 'Saved. The tills get the change at their next sync.',
  pin: 'New PIN set. The tills get it at their next sync.',
  password: 'Dashboard password set.',
  cleared: 'Dashboard sign-in removed.',
  deactivated: 'Deactivated. They can no longer sign in at the tills or here.',
  reactivated: 'Reactivated.',
};

export function staffRoutes(scope: FastifyInstance, ctx: AppContext): void {
  newStaffRoutes(scope, ctx);
  /** The member of a URL when the user may manage them; 404 otherwise (no hint that they exist). */
  const manageable = async (user: DashboardUser, id: string): Promise<StaffTable> => {
    const member = await findStaff(ctx.db, id);
    if (!member || !canSeeStaff(user, member) || !canManageStaff(user, member)) {
      throw new HttpError(404, 'staff_not_found', 'There is no such staff member among yours.');
    }
    return member;
  };

  /** Applies a change and its record in one transaction, then tells the tills. */
  const change = async (
    user: DashboardUser,
    member: StaffTable,
    action: string,
    staffChange: StaffChange,
    detail: Record<string, unknown>,
  ): Promise<void> => {
    await inTransaction(ctx.db, async (trx) => {
      await updateStaff(trx, member.id, staffChange, ctx);
      await recordDashboardAction(
        trx,
        { user, storeId: member.store_id, action, subject: member.id, detail },
        ctx,
      );
    });
    await publishStaffChange(ctx, member.store_id);
  };

  const editAgain = async (
    user: DashboardUser,
    member: StaffTable,
    errors: FieldErrors,
  ): Promise<string> =>
    editStaffPage({
      user,
      member,
      stores: await storesVisibleTo(ctx.db, user),
      errors,
      flash: { kind: 'error', text: 'Nothing was saved. Correct the marked field.' },
    });

  scope.get('/dashboard/staff', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const stores = await storesVisibleTo(ctx.db, user);
    const all = await ctx.db
      .selectFrom('staff')
      .selectAll()
      .orderBy('active', 'desc')
      .orderBy('name')
      .execute();
    const staff = all.filter((member) => canSeeStaff(user, member));
    const flash = flashFromQuery(request.query, NOTICES);
    return sendPage(reply, 200, staffListPage({ user, staff, stores, flash }));
  });

  scope.get('/dashboard/staff/:id', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    const stores = await storesVisibleTo(ctx.db, user);
    const flash = flashFromQuery(request.query, NOTICES);
    return sendPage(reply, 200, editStaffPage({ user, member, stores, errors: {}, flash }));
  });

  scope.post('/dashboard/staff/:id/details', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    const name = Name.safeParse(formField(request.body, 'name'));
    const role = StaffRole.safeParse(formField(request.body, 'role'));
    const errors: FieldErrors = {};
    if (!name.success) errors.name = firstIssue(name);
    if (!role.success) errors.role = 'Choose a role.';
    else if (role.data !== member.role) {
      const refusal =
        member.id === user.id
          ? 'You cannot change your own role. Ask another manager or an admin.'
          : placementRefusal(user, role.data, member.store_id);
      if (refusal !== null) errors.role = refusal;
    }
    if (!name.success || !role.success || errors.role !== undefined) {
      return sendPage(reply, 400, await editAgain(user, member, errors));
    }
    await change(
      user,
      member,
      'staff.update',
      { name: name.data, role: role.data },
      { from: { name: member.name, role: member.role }, to: { name: name.data, role: role.data } },
    );
    return reply.redirect(`/dashboard/staff/${member.id}?done=saved`, 303);
  });

  scope.post('/dashboard/staff/:id/pin', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    const pin = formField(request.body, 'pin');
    const refusal = pin === '' ? 'Type the new PIN.' : pinRefusal(pin);
    if (refusal !== null)
      return sendPage(reply, 400, await editAgain(user, member, { pin: refusal }));
    await change(user, member, 'staff.set_pin', { pin }, {});
    return reply.redirect(`/dashboard/staff/${member.id}?done=pin`, 303);
  });

  scope.post('/dashboard/staff/:id/password', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    if (member.role === 'cashier') throw new HttpError(400, 'cashier', CASHIER_NO_DASHBOARD);
    const email = formField(request.body, 'email').trim();
    const password = formField(request.body, 'password');
    const errors: FieldErrors = {};
    const emailProblem = await emailRefusal(ctx, email, member.id);
    if (emailProblem !== undefined) errors.email = emailProblem;
    const passwordProblem = password === '' ? 'Type the new password.' : passwordRefusal(password);
    if (passwordProblem !== null) errors.password = passwordProblem;
    if (Object.keys(errors).length > 0)
      return sendPage(reply, 400, await editAgain(user, member, errors));
    await change(user, member, 'staff.set_password', { email, password }, { email });
    // A new password ends every other session of theirs (a leaked one stops working).
    if (member.id !== user.id) await revokeSessionsOf(ctx.db, member.id, ctx.clock);
    return reply.redirect(`/dashboard/staff/${member.id}?done=password`, 303);
  });

  scope.post('/dashboard/staff/:id/password/clear', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    if (member.id === user.id) {
      throw new HttpError(
        400,
        'own_sign_in',
        'You cannot remove your own sign-in. Ask another manager or an admin.',
      );
    }
    await change(
      user,
      member,
      'staff.clear_password',
      { email: null, password: null },
      { email: member.email },
    );
    await revokeSessionsOf(ctx.db, member.id, ctx.clock);
    return reply.redirect(`/dashboard/staff/${member.id}?done=cleared`, 303);
  });

  scope.get('/dashboard/staff/:id/deactivate', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    const body = html`<div class="panel">
      <p>
        Deactivate <strong>${member.name}</strong>? They can no longer sign in at the tills (once
        the tills sync) or on this dashboard. Their past sales keep their name. You can reactivate
        them later.
      </p>
      <form method="post" action="/dashboard/staff/${member.id}/deactivate" class="actions">
        ${csrfField(user)}
        <button type="submit" class="danger">Deactivate ${member.name}</button>
        <a href="/dashboard/staff/${member.id}">Cancel</a>
      </form>
    </div>`;
    return sendPage(
      reply,
      200,
      dashboardPage({ title: 'Deactivate a staff member', user, body, current: 'staff' }),
    );
  });

  scope.post('/dashboard/staff/:id/deactivate', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    if (member.id === user.id) {
      throw new HttpError(
        400,
        'own_account',
        'You cannot deactivate yourself. Ask another manager or an admin.',
      );
    }
    await change(user, member, 'staff.deactivate', { active: false }, {});
    await revokeSessionsOf(ctx.db, member.id, ctx.clock);
    return reply.redirect(`/dashboard/staff/${member.id}?done=deactivated`, 303);
  });

  scope.post('/dashboard/staff/:id/reactivate', async (request: IdRequest, reply) => {
    const user = await requireDashboardUser(ctx, request);
    const member = await manageable(user, request.params.id);
    await change(user, member, 'staff.reactivate', { active: true }, {});
    return reply.redirect(`/dashboard/staff/${member.id}?done=reactivated`, 303);
  });
}
