/**
 * Dashboard tests: people with passwords, signed-in sessions and form posts through
 * `app.inject`, so every route test reads like a browser using the dashboard.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { StaffRole } from '../../shared/staff/staff-member.ts';
import type { StaffTable } from '../db/schema.ts';
import { systemRandomBytes } from '../deps.ts';
import { hashSecret } from '../keys/secrets.ts';
import { createStaff } from '../staff/staff.ts';
import type { TestApp } from '../test-support/harness.ts';
import { DASHBOARD_COOKIE, createDashboardSession } from './session.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
/** Fast PIN hashing for tests (the real default is 600 000 iterations). */
export const TEST_PIN_ITERATIONS = 1_000;
/** Cheap password hashing for tests (scrypt N; the real default is 2^15: PASSWORD_SCRYPT_N). */
export const TEST_PASSWORD_COST = 2 ** 10;

export type DashboardBrowser = {
  readonly staff: StaffTable;
  /** The `cookie` header of this signed-in browser. */
  readonly cookie: string;
  /** The hidden `csrf` field of this session's forms. */
  readonly csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form; the session's csrf is added unless `fields` has its own `csrf`. */
  post(url: string, fields?: Record<string, string>): Promise<LightMyRequestResponse>;
};

let counter = 0;

/** A dashboard user: a manager of the test store unless told otherwise; admins of every store. */
export async function addDashboardUser(
  t: TestApp,
  options: { role?: StaffRole; storeId?: string | null; name?: string; email?: string } = {},
): Promise<StaffTable> {
  const role = options.role ?? 'manager';
  counter += 1;
  return createStaff(
    t.db,
    {
      storeId:
        options.storeId === undefined ? (role === 'admin' ? null : t.store.id) : options.storeId,
      name: options.name ?? `${role} ${String(counter)}`,
      role,
      email: options.email ?? `${role}${String(counter)}@shop.example.test`,
      password: TEST_PASSWORD,
    },
    {
      clock: t.clock.now,
      randomBytes: systemRandomBytes,
      pinIterations: TEST_PIN_ITERATIONS,
      passwordCost: TEST_PASSWORD_COST,
    },
  );
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A browser signed in as `staff` (the session is made directly; sign-in itself is tested apart). */
export async function signedIn(t: TestApp, staff: StaffTable): Promise<DashboardBrowser> {
  const id = await createDashboardSession(t.db, staff.id, {
    clock: t.clock.now,
    randomBytes: systemRandomBytes,
  });
  const session = await t.db
    .selectFrom('dashboard_sessions')
    .select('csrf_token')
    .where('id_hash', '=', hashSecret(id))
    .executeTakeFirstOrThrow();
  const cookie = `${DASHBOARD_COOKIE}=${id}`;
  return {
    staff,
    cookie,
    csrf: session.csrf_token,
    get: (url) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, fields = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ csrf: session.csrf_token, ...fields }),
      }),
  };
}

/** Shortcut: a new user of `role` and their signed-in browser. */
export async function signedInAs(
  t: TestApp,
  role: StaffRole,
  options: { storeId?: string | null } = {},
): Promise<DashboardBrowser> {
  return signedIn(t, await addDashboardUser(t, { role, ...options }));
}
