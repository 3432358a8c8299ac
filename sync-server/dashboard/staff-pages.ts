import type { StaffRole } from '../../shared/staff/staff-member.ts';
import type { StaffTable } from '../db/schema.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { dataTable, unlabelled } from './html-parts.ts';
import { field, type FieldErrors } from './form-fields.ts';
import { csrfField, dashboardPage, type Flash } from './layout.ts';
import type { DashboardUser } from './session.ts';
import { canManageStaff, rolesAssignableBy } from './staff-rules.ts';
import type { VisibleStore } from './visible-stores.ts';

export const ROLE_NAMES: Record<StaffRole, string> = {
  cashier: 'Cashier',
  manager: 'Manager',
  admin: 'Admin',
};

function storeName(stores: readonly VisibleStore[], storeId: string | null): string {
  if (storeId === null) return 'Every store';
  return stores.find((store) => store.id === storeId)?.name ?? 'Another store';
}

export function staffListPage(input: {
  user: DashboardUser;
  staff: readonly StaffTable[];
  stores: readonly VisibleStore[];
  flash?: Flash | undefined;
}): string {
  const rows = input.staff.map(
    (member) =>
      html`<tr>
        <td>${member.name}</td>
        <td>${ROLE_NAMES[member.role]}</td>
        <td>${storeName(input.stores, member.store_id)}</td>
        <td>${member.pin_hash === null ? 'No' : 'Yes'}</td>
        <td>${member.password_hash === null ? '—' : (member.email ?? '—')}</td>
        <td>
          ${
            member.active === 1
              ? html`<span class="badge ok">Active</span>`
              : html`<span class="badge off">Deactivated</span>`
          }
        </td>
        <td>
          ${
            canManageStaff(input.user, member)
              ? html`<a href="/dashboard/staff/${member.id}"
                  >Edit<span class="sr-only"> ${member.name}</span></a
                >`
              : html`<span class="hint">Managed by an admin</span>`
          }
        </td>
      </tr>`,
  );
  const body = html`<p>
      <a class="button primary" href="/dashboard/staff/new">Add a staff member</a>
    </p>
    ${dataTable({
      columns: [
        'Name',
        'Role',
        'Store',
        'PIN at the counter',
        'Dashboard sign-in',
        'Status',
        unlabelled('Actions'),
      ],
      rows,
      empty: 'No staff yet. Add the people who work at your counters.',
    })}`;
  return dashboardPage({
    title: 'Staff',
    user: input.user,
    body,
    current: 'staff',
    ...(input.flash ? { flash: input.flash } : {}),
  });
}

function roleSelect(user: DashboardUser, selected: string, errors: FieldErrors): SafeHtml {
  return html`<div>
    <label for="role">Role</label>
    <select id="role" name="role" aria-describedby="role-hint">
      ${rolesAssignableBy(user).map(
        (role) =>
          html`<option value="${role}" ${role === selected ? html` selected` : null}>
            ${ROLE_NAMES[role]}
          </option>`,
      )}
    </select>
    <p class="hint" id="role-hint">
      Cashiers sell. Managers also approve voids, refunds and discounts and use this dashboard.
      ${user.role === 'admin' ? 'Admins manage stores and everyone.' : ''}
    </p>
    ${errors.role === undefined ? null : html`<p class="error">${errors.role}</p>`}
  </div>`;
}

export type NewStaffValues = {
  name: string;
  role: string;
  storeId: string;
  email: string;
};

export function newStaffPage(input: {
  user: DashboardUser;
  stores: readonly VisibleStore[];
  values: NewStaffValues;
  errors: FieldErrors;
  everyStoreAllowed: boolean;
}): string {
  const { user, values, errors } = input;
  const storeOptions = [
    ...input.stores.map(
      (store) =>
        html`<option value="${store.id}" ${store.id === values.storeId ? html` selected` : null}>
          ${store.name}
        </option>`,
    ),
    ...(input.everyStoreAllowed
      ? [
          html`<option value="" ${values.storeId === '' ? html` selected` : null}>
            Every store (admins only)
          </option>`,
        ]
      : []),
  ];
  const body = html`<form method="post" action="/dashboard/staff" class="stack panel" novalidate>
    ${csrfField(user)}
    ${field({ name: 'name', label: 'Name', value: values.name, errors, required: true })}
    ${roleSelect(user, values.role, errors)}
    <div>
      <label for="storeId">Store</label>
      <select id="storeId" name="storeId">
        ${storeOptions}
      </select>
      ${errors.storeId === undefined ? null : html`<p class="error">${errors.storeId}</p>`}
    </div>
    ${field({
      name: 'pin',
      label: 'PIN for the counter (optional)',
      type: 'password',
      inputmode: 'numeric',
      autocomplete: 'new-password',
      hint: '4 to 8 digits. Without a PIN this person cannot sign in at a till.',
      errors,
    })}
    ${field({
      name: 'email',
      label: 'E-mail for the dashboard (optional)',
      type: 'email',
      value: values.email,
      hint: 'Managers and admins sign in to this dashboard with it.',
      errors,
    })}
    ${field({
      name: 'password',
      label: 'Dashboard password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'Needed with an e-mail: at least 12 characters. Tell it to them in person.',
      errors,
    })}
    <div class="actions">
      <button type="submit" class="primary">Add staff member</button>
      <a href="/dashboard/staff">Cancel</a>
    </div>
  </form>`;
  return dashboardPage({
    title: 'Add a staff member',
    user,
    body,
    current: 'staff',
    ...(Object.keys(errors).length > 0
      ? { flash: { kind: 'error' as const, text: 'Nothing was saved. Correct the marked fields.' } }
      : {}),
  });
}

function passwordForms(
  user: DashboardUser,
  member: StaffTable,
  base: string,
  errors: FieldErrors,
): SafeHtml {
  return html`<form method="post" action="${base}/password" class="stack">
      ${csrfField(user)}
      ${field({ name: 'email', label: 'E-mail', type: 'email', value: member.email ?? '', errors })}
      ${field({
        name: 'password',
        label: 'New password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 12 characters. Other open sessions of this person end.',
        errors,
      })}
      <div><button type="submit">Set password</button></div>
    </form>
    ${
      member.password_hash === null
        ? null
        : html`<form method="post" action="${base}/password/clear" class="actions">
            ${csrfField(user)}
            <button type="submit">Remove dashboard sign-in</button>
          </form>`
    }`;
}

export function editStaffPage(input: {
  user: DashboardUser;
  member: StaffTable;
  stores: readonly VisibleStore[];
  errors: FieldErrors;
  flash?: Flash | undefined;
}): string {
  const { user, member, errors } = input;
  const base = `/dashboard/staff/${member.id}`;
  const body = html`<p>
      ${ROLE_NAMES[member.role]} · ${storeName(input.stores, member.store_id)} ·
      ${member.active === 1 ? 'Active' : 'Deactivated'}
    </p>
    <section class="panel" aria-labelledby="details">
      <h2 id="details">Name and role</h2>
      <form method="post" action="${base}/details" class="stack">
        ${csrfField(user)}
        ${field({ name: 'name', label: 'Name', value: member.name, errors, required: true })}
        ${roleSelect(user, member.role, errors)}
        <div><button type="submit" class="primary">Save name and role</button></div>
      </form>
    </section>
    <section class="panel" aria-labelledby="pin-title">
      <h2 id="pin-title">PIN at the counter</h2>
      <p>${member.pin_hash === null ? 'No PIN: cannot sign in at a till.' : 'A PIN is set.'}</p>
      <form method="post" action="${base}/pin" class="stack">
        ${csrfField(user)}
        ${field({
          name: 'pin',
          label: 'New PIN',
          type: 'password',
          inputmode: 'numeric',
          autocomplete: 'new-password',
          hint: '4 to 8 digits. The tills get it at their next sync.',
          errors,
          required: true,
        })}
        <div><button type="submit">Set PIN</button></div>
      </form>
    </section>
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">Dashboard sign-in</h2>
      <p>
        ${
          member.password_hash === null
            ? 'Cannot sign in to the dashboard.'
            : `Signs in as ${member.email ?? ''}.`
        }
      </p>
      ${
        member.role === 'cashier'
          ? html`<p class="hint">Cashiers do not use the dashboard; make them a manager first.</p>`
          : passwordForms(user, member, base, errors)
      }
    </section>
    <section class="panel" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      ${
        member.active === 1
          ? html`<p>
                Deactivating stops sign-in at the tills and here. Their past sales keep their name.
              </p>
              <a class="button" href="${base}/deactivate">Deactivate ${member.name}</a>`
          : html`<form method="post" action="${base}/reactivate" class="actions">
              ${csrfField(user)}
              <button type="submit">Reactivate ${member.name}</button>
            </form>`
      }
    </section>
    <p><a href="/dashboard/staff">Back to staff</a></p>`;
  return dashboardPage({
    title: member.name,
    user,
    body,
    current: 'staff',
    ...(input.flash ? { flash: input.flash } : {}),
  });
}
