import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, setCookieLines, squash, type PortalClient } from '../test-support/portal.ts';
import { updateStaff } from '../staff/staff.ts';
import { DASHBOARD_COOKIE } from './session.ts';
import { SIGNIN_REFUSED, safeNext } from './signin-routes.ts';
import { TEST_PASSWORD, addDashboardUser } from './test-kit.ts';

let t: TestApp;
let browser: PortalClient;
beforeEach(async () => {
  t = await createTestApp();
  browser = portalClient(t.app);
  await browser.get('/dashboard/signin');
});
afterEach(async () => {
  await t.close();
});

const sessions = () => t.db.selectFrom('dashboard_sessions').selectAll().execute();
const signIn = (email: string, password = TEST_PASSWORD, next = '/dashboard') =>
  browser.post('/dashboard/signin', { email, password, next });

describe('dashboard sign-in: refusals', () => {
  it('sends a signed-out browser to the sign-in page, remembering where it was going', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/dashboard?x=1' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/dashboard/signin?next=%2Fdashboard%3Fx%3D1');
  });

  it('refuses a sign-in form without its CSRF pair with 403 and starts no session', async () => {
    const manager = await addDashboardUser(t);
    const refused = await browser.post(
      '/dashboard/signin',
      { email: manager.email ?? '', password: TEST_PASSWORD },
      { csrf: null },
    );
    expect(refused.statusCode).toBe(403);
    expect(squash(refused.body)).toContain('This form is out of date. Sign in again.');
    expect(await sessions()).toEqual([]);
  });

  it('says the same for an unknown e-mail and a wrong password, and starts no session', async () => {
    const manager = await addDashboardUser(t);
    const unknown = await signIn('nobody@shop.example.test');
    const wrong = await signIn(manager.email ?? '', 'not the password at all');
    for (const response of [unknown, wrong]) {
      expect(response.statusCode).toBe(401);
      expect(squash(response.body)).toContain(SIGNIN_REFUSED);
    }
    expect(squash(unknown.body).replace('nobody@shop.example.test', 'X')).toBe(
      squash(wrong.body).replace(manager.email ?? '', 'X'),
    );
    expect(await sessions()).toEqual([]);
  });

  it('refuses a cashier and a deactivated manager even with the right password', async () => {
    const cashier = await addDashboardUser(t, { role: 'cashier' });
    const cashierTry = await signIn(cashier.email ?? '');
    expect(cashierTry.statusCode).toBe(403);
    expect(squash(cashierTry.body)).toContain('The dashboard is for managers and admins.');

    const manager = await addDashboardUser(t);
    await updateStaff(
      t.db,
      manager.id,
      { active: false },
      { clock: t.clock.now, randomBytes: () => new Uint8Array(16) },
    );
    const inactive = await signIn(manager.email ?? '');
    expect(inactive.statusCode).toBe(403);
    expect(squash(inactive.body)).toContain(
      'This account is deactivated. Ask an admin to reactivate it.',
    );
    expect(await sessions()).toEqual([]);
  });

  it('never redirects to another site after signing in', () => {
    expect(safeNext('//evil.example/dashboard')).toBe('/dashboard');
    expect(safeNext('https://evil.example/')).toBe('/dashboard');
    expect(safeNext('/dashboardx')).toBe('/dashboard');
    expect(safeNext('/dashboard/staff?store=a')).toBe('/dashboard/staff?store=a');
  });
});

describe('dashboard sign-in: rate limit on failures (counted in the database)', () => {
  it('refuses an e-mail after 10 attempts in 15 minutes, even with the right password, then lets it in', async () => {
    const manager = await addDashboardUser(t);
    const email = manager.email ?? '';
    for (let i = 0; i < 10; i += 1) {
      // Each from its own address: the per-e-mail limit, not the per-address one.
      const response = await t.app.inject({
        method: 'POST',
        url: '/dashboard/signin',
        remoteAddress: `10.0.0.${String(i + 1)}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `entitle_csrf=${browser.csrf()}`,
        },
        payload: new URLSearchParams({
          email,
          password: 'wrong password 123',
          csrf: browser.csrf(),
        }).toString(),
      });
      expect(response.statusCode).toBe(401);
    }
    const limited = await signIn(email);
    expect(limited.statusCode).toBe(429);
    expect(squash(limited.body)).toContain(
      'Too many sign-in attempts. Try again in 15 minutes (at 10:15 UTC)',
    );
    expect(limited.headers['retry-after']).toBe('900');
    expect(await sessions()).toEqual([]);

    t.clock.advance(15 * 60_000 + 1);
    expect((await signIn(email)).statusCode).toBe(303);
  });

  it('counts only failures: a manager signing in often is never limited', async () => {
    const manager = await addDashboardUser(t);
    for (let i = 0; i < 12; i += 1) {
      expect((await signIn(manager.email ?? '')).statusCode).toBe(303);
    }
  });

  it('refuses an address after 10 attempts in 15 minutes, whatever e-mail it tries', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect((await signIn(`guess${String(i)}@shop.example.test`)).statusCode).toBe(401);
    }
    const manager = await addDashboardUser(t);
    expect((await signIn(manager.email ?? '')).statusCode).toBe(429);
  });
});

describe('dashboard sign-in: happy path and sessions', () => {
  it('signs a manager in with a Strict, HttpOnly cookie whose value is not stored, and records it', async () => {
    const manager = await addDashboardUser(t);
    const response = await signIn(
      `  ${(manager.email ?? '').toUpperCase()} `,
      TEST_PASSWORD,
      '/dashboard/staff',
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/dashboard/staff');
    const cookie = setCookieLines(response).find((line) => line.startsWith(`${DASHBOARD_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const value = browser.cookies.get(DASHBOARD_COOKIE) ?? '';
    const [stored] = await sessions();
    expect(stored?.staff_id).toBe(manager.id);
    expect(JSON.stringify(stored)).not.toContain(value);
    const actions = await t.db.selectFrom('dashboard_actions').selectAll().execute();
    expect(actions.map((a) => [a.action, a.staff_id])).toEqual([['session.sign_in', manager.id]]);

    const overview = await browser.get('/dashboard');
    expect(overview.statusCode).toBe(200);
    expect(squash(overview.body)).toContain(manager.name);
  });

  it('marks the cookie Secure when the dashboard is served over https', async () => {
    const secure = await createTestApp({ publicUrl: 'https://shop.example.test' });
    try {
      const manager = await addDashboardUser(secure);
      const client = portalClient(secure.app);
      await client.get('/dashboard/signin');
      const response = await client.post('/dashboard/signin', {
        email: manager.email ?? '',
        password: TEST_PASSWORD,
      });
      const cookie = setCookieLines(response).find((line) =>
        line.startsWith(`${DASHBOARD_COOKIE}=`),
      );
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('ends a session after 12 idle hours, but keeps one in use up to 7 days', async () => {
    const manager = await addDashboardUser(t);
    await signIn(manager.email ?? '');
    for (let day = 0; day < 7; day += 1) {
      t.clock.advance(11 * 3_600_000);
      expect((await browser.get('/dashboard')).statusCode).toBe(200);
      t.clock.advance(11 * 3_600_000);
      expect((await browser.get('/dashboard')).statusCode).toBe(200);
    }
    t.clock.advance(11 * 3_600_000); // 6 days 21 h after sign-in: within both limits
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    t.clock.advance(11 * 3_600_000); // past 7 days since sign-in
    expect((await browser.get('/dashboard')).statusCode).toBe(303);

    await browser.get('/dashboard/signin');
    await signIn(manager.email ?? '');
    t.clock.advance(12 * 3_600_000 + 1);
    expect((await browser.get('/dashboard')).statusCode).toBe(303);
  });

  it('ends the session of a member deactivated meanwhile', async () => {
    const manager = await addDashboardUser(t);
    await signIn(manager.email ?? '');
    await updateStaff(
      t.db,
      manager.id,
      { active: false },
      { clock: t.clock.now, randomBytes: () => new Uint8Array(16) },
    );
    expect((await browser.get('/dashboard')).statusCode).toBe(303);
  });

  it('signs out only with the session token, and the session ends', async () => {
    const manager = await addDashboardUser(t);
    await signIn(manager.email ?? '');
    const overview = await browser.get('/dashboard');
    const forged = await browser.post('/dashboard/signout', {}, { csrf: 'x'.repeat(43) });
    expect(forged.statusCode).toBe(403);
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    expect(overview.statusCode).toBe(200);

    const out = await browser.post('/dashboard/signout');
    expect(out.statusCode).toBe(200);
    expect(squash(out.body)).toContain('You are signed out.');
    const [session] = await sessions();
    expect(session?.revoked_at).not.toBeNull();
    expect((await browser.get('/dashboard')).statusCode).toBe(303);
  });
});
