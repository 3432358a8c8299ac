import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, setCookieLines, squash, type PortalClient } from '../test-support/portal.ts';

let t: TestApp;
let browser: PortalClient;
beforeEach(async () => {
  t = await createTestApp();
  browser = portalClient(t.app);
  await browser.get('/signin');
});
afterEach(async () => {
  await t.close();
});

const EXPIRED = 'This link has expired or was already used. Ask for a new one.';

/** Asks for a sign-in link and returns its token, read from the e-mail the outbox sent. */
async function signInLink(email = 'ana@example.test', client = browser): Promise<string> {
  await client.get('/signin');
  const asked = await client.post('/signin', { email });
  expect(asked.statusCode).toBe(200);
  await t.outbox.runOnce();
  const text = t.mail.at(-1)?.text ?? '';
  const token = /\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (token === undefined) throw new Error(`no link in: ${text}`);
  return token;
}

const tokens = () => t.db.selectFrom('login_tokens').selectAll().execute();
const sessions = () => t.db.selectFrom('sessions').selectAll().execute();

describe('magic links: refusals', () => {
  it('refuses a sign-in form without its CSRF pair with 403, and creates no token', async () => {
    for (const csrf of [null, 'x'.repeat(43)]) {
      const refused = await browser.post('/signin', { email: 'ana@example.test' }, { csrf });
      expect(refused.statusCode).toBe(403);
      expect(squash(refused.body)).toContain('Reload the page and try again.');
    }
    expect(await tokens()).toEqual([]);
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  it('says how to write an e-mail address, keeps what was typed, and sends nothing', async () => {
    for (const email of ['', 'not an address', `${'a'.repeat(250)}@example.test`]) {
      const refused = await browser.post('/signin', { email });
      expect(refused.statusCode).toBe(400);
      expect(squash(refused.body)).toContain('Enter your e-mail address, like name@example.com.');
      expect(squash(refused.body)).toContain('aria-invalid="true"');
    }
    expect(await tokens()).toEqual([]);
  });

  it('answers an unknown, malformed or expired link with one neutral 400 page', async () => {
    const token = await signInLink();
    t.clock.advance(15 * 60_000 + 1);
    for (const url of [`/auth/link/${token}`, `/auth/link/${'A'.repeat(43)}`, '/auth/link/nope']) {
      for (const response of [await browser.get(url), await browser.post(url)]) {
        expect(response.statusCode).toBe(400);
        expect(squash(response.body)).toContain(EXPIRED);
      }
    }
    expect(await sessions()).toEqual([]);
  });

  it('refuses a link POST without the CSRF pair, and leaves the link usable', async () => {
    const token = await signInLink();
    const stranger = portalClient(t.app);
    expect((await stranger.post(`/auth/link/${token}`, {}, { csrf: null })).statusCode).toBe(403);
    expect(
      (await browser.post(`/auth/link/${token}`, {}, { csrf: 'y'.repeat(43) })).statusCode,
    ).toBe(403);
    expect((await tokens())[0]?.used_at).toBeNull();
    await browser.get(`/auth/link/${token}`);
    expect((await browser.post(`/auth/link/${token}`)).statusCode).toBe(303);
  });

  it('limits links per e-mail address to 5 an hour and says when to try again', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await browser.post('/signin', { email: 'ana@example.test' })).statusCode).toBe(200);
      t.clock.advance(60_000);
    }
    const limited = await browser.post('/signin', { email: ' ANA@example.test ' });
    expect(limited.statusCode).toBe(429);
    expect(squash(limited.body)).toContain(
      'This address was sent 5 links in the last hour. Try again after 26 November 2026 at 11:00 UTC.',
    );
    expect(await tokens()).toHaveLength(5);
    expect((await browser.post('/signin', { email: 'bo@example.test' })).statusCode).toBe(200);
  });

  it('rate limits link requests per client address too', async () => {
    await t.close();
    t = await createTestApp({ rateLimits: { portal: 2 } });
    browser = portalClient(t.app);
    await browser.get('/signin');
    await browser.post('/signin', { email: 'a@example.test' });
    await browser.post('/signin', { email: 'b@example.test' });
    const limited = await browser.post('/signin', { email: 'c@example.test' });
    expect(limited.statusCode).toBe(429);
    expect(squash(limited.body)).toMatch(/Too many attempts\. Wait .+ and try again\./);
  });

  it('sends /account without a session to /signin', async () => {
    const response = await browser.get('/account');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/signin');
    expect((await browser.post('/signout')).headers.location).toBe('/signin');
  });
});

describe('magic links', () => {
  it('shows a labelled sign-in form with its CSRF field, linked from the portal', async () => {
    const form = await browser.get('/signin');
    expect(form.statusCode).toBe(200);
    const body = squash(form.body);
    expect(body).toContain('<form method="post" action="/signin">');
    expect(body).toContain(`<input type="hidden" name="csrf" value="${browser.csrf()}" />`);
    expect(body).toContain('<label for="email">E-mail address</label>');
    expect(body).toContain('type="email"');
    expect(body).toContain('<button type="submit" class="primary">Send me a link</button>');
    expect(squash((await browser.get('/redeem')).body)).toContain('<a href="/signin">');
  });

  it('e-mails a sign-in link that answers "Check your inbox", whoever asks', async () => {
    const page = await browser.post('/signin', { email: ' Ana@Example.TEST ' });
    expect(page.statusCode).toBe(200);
    expect(squash(page.body)).toContain('<h1>Check your inbox</h1>');
    const [row] = await tokens();
    expect(row).toMatchObject({ email: 'ana@example.test', purpose: 'sign-in', code: null });
    expect(row?.expires_at).toBe('2026-11-26T10:15:00.000Z');
    expect(t.mail).toEqual([]);
    await t.outbox.runOnce();
    expect(t.mail[0]).toMatchObject({ to: 'ana@example.test', subject: 'Sign in to Test Shop' });
    const token = /\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(t.mail[0]?.text ?? '')?.[1] ?? '';
    expect(token).toHaveLength(43);
    expect(row?.token_hash).not.toContain(token);
    expect(JSON.stringify(await t.db.selectFrom('outbox').selectAll().execute())).not.toContain(
      token,
    );
  });

  it('never uses a link on GET; POST uses it once and signs in; a second POST is refused', async () => {
    const token = await signInLink();
    for (let i = 0; i < 3; i++) {
      const confirm = await browser.get(`/auth/link/${token}`);
      expect(confirm.statusCode).toBe(200);
      expect(squash(confirm.body)).toContain(`<form method="post" action="/auth/link/${token}">`);
      expect(squash(confirm.body)).toContain(
        '<button type="submit" class="primary">Continue</button>',
      );
    }
    expect((await tokens())[0]?.used_at).toBeNull();
    const confirmCsrf = browser.csrf();

    const used = await browser.post(`/auth/link/${token}`);
    expect(used.statusCode).toBe(303);
    expect(used.headers.location).toBe('/account');
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(200);
    expect(squash(account.body)).toContain('Signed in as ana@example.test.');
    expect(squash(account.body)).toContain('No codes yet.');

    const again = await browser.post(`/auth/link/${token}`, {}, { csrf: confirmCsrf });
    expect(again.statusCode).toBe(400);
    expect(squash(again.body)).toContain(EXPIRED);
    expect(await sessions()).toHaveLength(1);
    expect(await t.db.selectFrom('accounts').select('email').execute()).toEqual([
      { email: 'ana@example.test' },
    ]);
  });

  it('lets exactly one of 20 simultaneous uses of a link sign in', async () => {
    const token = await signInLink();
    await browser.get(`/auth/link/${token}`);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => browser.post(`/auth/link/${token}`)),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 303)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
    expect(await sessions()).toHaveLength(1);
  });

  it('sets HttpOnly, SameSite cookies, Secure only behind an https PUBLIC_URL', async () => {
    const token = await signInLink();
    await browser.get(`/auth/link/${token}`);
    const used = await browser.post(`/auth/link/${token}`);
    expect(setCookieLines(used)).toEqual([
      expect.stringMatching(
        /^entitle_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/,
      ),
    ]);
    const fresh = await portalClient(t.app).get('/signin');
    expect(setCookieLines(fresh)).toEqual([
      expect.stringMatching(/^entitle_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/),
    ]);

    await t.close();
    t = await createTestApp({ publicUrl: 'https://shop.example.test' });
    browser = portalClient(t.app);
    const secureCsrf = await browser.get('/signin');
    expect(setCookieLines(secureCsrf)).toEqual([
      expect.stringMatching(/; SameSite=Strict; Secure$/),
    ]);
    const secureToken = await signInLink();
    await browser.get(`/auth/link/${secureToken}`);
    const secure = await browser.post(`/auth/link/${secureToken}`);
    expect(setCookieLines(secure)).toEqual([
      expect.stringMatching(/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure$/),
    ]);
  });

  it('signs out with the session CSRF token only, and the session stays dead', async () => {
    const token = await signInLink();
    await browser.get(`/auth/link/${token}`);
    await browser.post(`/auth/link/${token}`);
    await browser.get('/signin'); // the anonymous double-submit token is not the session's
    const forged = await browser.post('/signout');
    expect(forged.statusCode).toBe(403);
    expect((await browser.get('/account')).statusCode).toBe(200);
    const out = await browser.post('/signout');
    expect(out.statusCode).toBe(200);
    expect(squash(out.body)).toContain('You are signed out on this device.');
    expect((await sessions())[0]?.revoked_at).toBe('2026-11-26T10:00:00.000Z');
    expect((await browser.get('/account')).headers.location).toBe('/signin');
  });
});
