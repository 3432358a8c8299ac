import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type StaffRole } from '../../shared/staff/staff-member.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, type AppContext, type Clock, type RandomBytes } from '../deps.ts';
import { isSecureUrl, readCookie, setCookie } from '../http/cookies.ts';
import { HttpError } from '../http/errors.ts';
import { hashSecret, newToken } from '../keys/secrets.ts';
import { csrfOk } from '../redeem/csrf.ts';

/**
 * Dashboard sessions: a random id in the `entitle_dashboard` cookie, only its SHA-256 stored.
 * A session ends after 12 hours without use or 7 days after sign-in, whichever comes first, so a
 * forgotten browser at the back office does not stay signed in for good. Cashiers never get one:
 * the dashboard is for managers and admins.
 */

/** How often a session's last use is written; see the idle check below. */
const LAST_USED_RESOLUTION_MS = 60_000;
export const DASHBOARD_COOKIE = 'entitle_dashboard';
export const DASHBOARD_IDLE_MS = 12 * 3_600_000;
export const DASHBOARD_ABSOLUTE_MS = 7 * 24 * 3_600_000;
export const SIGNIN_PATH = '/dashboard/signin';

export type DashboardUser = {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  /** null: an admin of every store. */
  readonly storeId: string | null;
  /** The hidden `csrf` field of every form this user posts. */
  readonly csrfToken: string;
  /** SHA-256 of the session cookie, to end this session on sign-out. */
  readonly sessionHash: string;
};

/** Thrown by requireDashboardUser on a page that needs a session; the scope answers 303. */
export class DashboardRedirect extends Error {
  constructor(readonly location: string) {
    super(`Redirect to ${location}`);
    this.name = 'DashboardRedirect';
  }
}

/** The user each request was let in as: error pages render the nav with it. */
const usersOfRequests = new WeakMap<FastifyRequest, DashboardUser>();
export function signedInUserOf(request: FastifyRequest): DashboardUser | undefined {
  return usersOfRequests.get(request);
}

export async function createDashboardSession(
  trx: DbOrTrx,
  staffId: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<string> {
  const id = newToken(deps.randomBytes);
  const now = deps.clock();
  await trx
    .insertInto('dashboard_sessions')
    .values({
      id_hash: hashSecret(id),
      staff_id: staffId,
      csrf_token: newToken(deps.randomBytes),
      created_at: now.toISOString(),
      last_used_at: now.toISOString(),
      expires_at: new Date(now.getTime() + DASHBOARD_ABSOLUTE_MS).toISOString(),
      revoked_at: null,
    })
    .execute();
  return id;
}

export function setDashboardCookie(
  reply: FastifyReply,
  id: string,
  ctx: Pick<AppContext, 'publicUrl'>,
): void {
  setCookie(reply, DASHBOARD_COOKIE, id, {
    sameSite: 'Strict',
    maxAge: DASHBOARD_ABSOLUTE_MS / 1000,
    secure: isSecureUrl(ctx.publicUrl()),
  });
}

export function clearDashboardCookie(
  reply: FastifyReply,
  ctx: Pick<AppContext, 'publicUrl'>,
): void {
  setCookie(reply, DASHBOARD_COOKIE, '', {
    sameSite: 'Strict',
    maxAge: 0,
    secure: isSecureUrl(ctx.publicUrl()),
  });
}

/**
 * The signed-in dashboard user of a request, or null: the session is unrevoked, used within
 * the idle limit, before its absolute end, and its staff member is still active, a manager or
 * admin, and still allowed to sign in (has a password). Each use moves the idle limit on.
 */
export async function currentDashboardUser(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  request: FastifyRequest,
): Promise<DashboardUser | null> {
  const id = readCookie(request, DASHBOARD_COOKIE);
  if (id === undefined || id === '') return null;
  const now = ctx.clock();
  const idleSince = new Date(now.getTime() - DASHBOARD_IDLE_MS).toISOString();
  const row = await ctx.db
    .selectFrom('dashboard_sessions')
    .innerJoin('staff', 'staff.id', 'dashboard_sessions.staff_id')
    .select([
      'dashboard_sessions.id_hash',
      'dashboard_sessions.csrf_token',
      'dashboard_sessions.last_used_at',
      'staff.id',
      'staff.name',
      'staff.role',
      'staff.store_id',
    ])
    .where('dashboard_sessions.id_hash', '=', hashSecret(id))
    .where('dashboard_sessions.revoked_at', 'is', null)
    .where('dashboard_sessions.expires_at', '>', now.toISOString())
    .where('dashboard_sessions.last_used_at', '>', idleSince)
    .where('staff.active', '=', 1)
    .where('staff.role', '!=', 'cashier')
    .where('staff.password_hash', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  // The idle limit is hours long: a write a minute keeps it exact enough without one per page.
  if (now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    await ctx.db
      .updateTable('dashboard_sessions')
      .set({ last_used_at: now.toISOString() })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    storeId: row.store_id,
    csrfToken: row.csrf_token,
    sessionHash: row.id_hash,
  };
}

/**
 * The gate of every dashboard route. Signed out: a DashboardRedirect to the sign-in page (the
 * scope answers 303). Role below `minRole`: 403. A POST whose hidden `csrf` field is not this
 * session's token: 403 before the handler runs, so it changes nothing.
 */
export async function requireDashboardUser(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  request: FastifyRequest,
  minRole: StaffRole = 'manager',
): Promise<DashboardUser> {
  const user = await currentDashboardUser(ctx, request);
  if (!user) {
    if (request.method === 'GET') {
      const next = request.url.startsWith('/dashboard') ? request.url : '/dashboard';
      throw new DashboardRedirect(`${SIGNIN_PATH}?next=${encodeURIComponent(next)}`);
    }
    throw new DashboardRedirect(SIGNIN_PATH);
  }
  usersOfRequests.set(request, user);
  if (request.method === 'POST' && !csrfOk(request, user.csrfToken)) {
    throw new HttpError(
      403,
      'form_expired',
      'This form is out of date or came from another site. Reload the page and try again.',
    );
  }
  if (!hasRole(user.role, minRole)) {
    throw new HttpError(
      403,
      'forbidden',
      `Only ${minRole === 'admin' ? 'an admin' : 'a manager or admin'} can open this page. Ask an admin if you need it.`,
    );
  }
  return user;
}

export async function revokeDashboardSession(
  db: DbOrTrx,
  sessionHash: string,
  clock: Clock,
): Promise<void> {
  await db
    .updateTable('dashboard_sessions')
    .set({ revoked_at: isoNow(clock) })
    .where('id_hash', '=', sessionHash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a staff member: after deactivation or a new password. */
export async function revokeSessionsOf(db: DbOrTrx, staffId: string, clock: Clock): Promise<void> {
  await db
    .updateTable('dashboard_sessions')
    .set({ revoked_at: isoNow(clock) })
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .execute();
}
