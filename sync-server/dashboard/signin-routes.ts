import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isoNow, type AppContext } from '../deps.ts';
import { csrfOk, csrfTokenFor } from '../redeem/csrf.ts';
import { formField } from '../redeem/portal-scope.ts';
import { html, type SafeHtml } from '../redeem/html.ts';
import { decoyPasswordHash, verifyPassword } from '../staff/password.ts';
import { findStaffByEmail } from '../staff/staff.ts';
import { recordDashboardAction } from './actions.ts';
import { plainDashboardPage, sendPage } from './layout.ts';
import {
  clearDashboardCookie,
  createDashboardSession,
  currentDashboardUser,
  requireDashboardUser,
  revokeDashboardSession,
  setDashboardCookie,
} from './session.ts';
import { createSigninLimiter } from './signin-limiter.ts';
import { inTransaction } from '../db/transaction.ts';

/** Same words for an unknown e-mail and a wrong password: the page tells nobody who has an account. */
export const SIGNIN_REFUSED = 'That e-mail and password do not match. Check both and try again.';

/** Where to go after signing in: only a dashboard path of this server, never another site. */
export function safeNext(next: string): string {
  return /^\/dashboard(?:[/?#]|$)/.test(next) && !next.startsWith('//') ? next : '/dashboard';
}

function signinForm(input: {
  csrf: string;
  next: string;
  email?: string;
  error?: string;
}): SafeHtml {
  const error =
    input.error === undefined
      ? null
      : html`<p id="signin-error" class="flash error" role="alert">${input.error}</p>`;
  const described = input.error === undefined ? null : html` aria-describedby="signin-error"`;
  return html`<p>For managers and admins. Cashiers sign in at the counter with their PIN.</p>
    ${error}
    <form method="post" action="/dashboard/signin" class="stack panel">
      <input type="hidden" name="csrf" value="${input.csrf}" />
      <input type="hidden" name="next" value="${input.next}" />
      <div>
        <label for="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          value="${input.email ?? ''}"
          required${described}
        />
      </div>
      <div>
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${described}
        />
      </div>
      <button type="submit" class="primary">Sign in</button>
    </form>`;
}

function clockTime(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'UTC' }).format(ms);
}

/** GET/POST /dashboard/signin and POST /dashboard/signout. Call inside a dashboard scope. */
export function signinRoutes(scope: FastifyInstance, ctx: AppContext): void {
  const limiter = createSigninLimiter(ctx.db, ctx.clock);

  scope.get(
    '/dashboard/signin',
    async (request: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
      if (await currentDashboardUser(ctx, request)) return reply.redirect('/dashboard', 303);
      const csrf = csrfTokenFor(request, reply, ctx);
      const next = safeNext(typeof request.query.next === 'string' ? request.query.next : '');
      return sendPage(reply, 200, plainDashboardPage('Sign in', signinForm({ csrf, next })));
    },
  );

  scope.post('/dashboard/signin', async (request, reply) => {
    const csrf = csrfTokenFor(request, reply, ctx);
    const email = formField(request.body, 'email').trim();
    const password = formField(request.body, 'password');
    const next = safeNext(formField(request.body, 'next'));
    const again = (status: number, error: string) =>
      sendPage(
        reply,
        status,
        plainDashboardPage('Sign in', signinForm({ csrf, next, email, error })),
      );
    if (!csrfOk(request)) {
      return again(403, 'This form is out of date. Sign in again.');
    }
    const waitMs = await limiter.blockedFor(request.ip, email);
    if (waitMs !== null) {
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      const at = clockTime(ctx.clock().getTime() + waitMs);
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return again(
        429,
        `Too many sign-in attempts. Try again in ${String(minutes)} minute${minutes === 1 ? '' : 's'} (at ${at} UTC), or ask an admin to set a new password.`,
      );
    }
    const staff = email === '' ? undefined : await findStaffByEmail(ctx.db, email);
    // Unknown e-mails are checked against a decoy hash, so they take as long as a wrong password.
    const matches = await verifyPassword(
      password,
      staff?.password_hash ?? (await decoyPasswordHash()),
    );
    if (!staff || staff.password_hash === null || !matches) {
      await limiter.failed(request.ip, email);
      return again(401, SIGNIN_REFUSED);
    }
    // Past this point the password was right, so saying why is no help to a guesser.
    if (staff.active !== 1) {
      return again(403, 'This account is deactivated. Ask an admin to reactivate it.');
    }
    if (staff.role === 'cashier') {
      return again(
        403,
        'The dashboard is for managers and admins. Ask a manager if you need something changed.',
      );
    }
    const sessionId = await inTransaction(ctx.db, async (trx) => {
      const id = await createDashboardSession(trx, staff.id, ctx);
      await recordDashboardAction(
        trx,
        {
          user: staff,
          storeId: staff.store_id,
          action: 'session.sign_in',
          subject: staff.id,
          detail: { address: request.ip, at: isoNow(ctx.clock) },
        },
        ctx,
      );
      return id;
    });
    setDashboardCookie(reply, sessionId, ctx);
    return reply.redirect(next, 303);
  });

  scope.post('/dashboard/signout', async (request, reply) => {
    const user = await requireDashboardUser(ctx, request);
    await inTransaction(ctx.db, async (trx) => {
      await revokeDashboardSession(trx, user.sessionHash, ctx.clock);
      await recordDashboardAction(
        trx,
        { user, storeId: user.storeId, action: 'session.sign_out', subject: user.id, detail: {} },
        ctx,
      );
    });
    clearDashboardCookie(reply, ctx);
    return sendPage(
      reply,
      200,
      plainDashboardPage(
        'Signed out',
        html`<p role="status">You are signed out.</p>
          <p><a href="/dashboard/signin">Sign in again</a></p>`,
      ),
    );
  });
}
