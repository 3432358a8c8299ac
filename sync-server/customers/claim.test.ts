import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode, issueCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { entitlementOf, latestSeq } from '../test-support/entitlements.ts';

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let code: string;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
  const sale = await makeSale([GIFT_25]);
  expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
  code = sale.lines[0]?.codes[0] ?? '';
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

/** A phone on the code page, asking for a claim link; returns the link from the real e-mail. */
async function claimLink(email: string): Promise<{ phone: PortalClient; token: string }> {
  const phone = portalClient(t.app);
  await phone.get(`/redeem/${code}`);
  const asked = await phone.post(`/redeem/${code}/claim`, { email });
  expect(asked.statusCode).toBe(200);
  expect(squash(asked.body)).toContain('<h1>Check your inbox</h1>');
  await t.outbox.runOnce();
  const mail = smtp.received.findLast((received) => received.to.includes(email));
  const token = /https:\/\/shop\.example\.test\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(
    mail?.parsed.text ?? '',
  )?.[1];
  if (token === undefined) throw new Error(`no claim link e-mailed to ${email}`);
  return { phone, token };
}

const entitlement = () => entitlementOf(t.db, code);
const magicLinkJobs = () =>
  t.db.selectFrom('outbox').selectAll().where('kind', '=', 'magic-link-email').execute();

describe('claiming a code: refusals', () => {
  it('refuses a claim without its CSRF pair with 403, and creates no link', async () => {
    const phone = portalClient(t.app);
    await phone.get(`/redeem/${code}`);
    const stranger = portalClient(t.app);
    for (const response of [
      await stranger.post(`/redeem/${code}/claim`, { email: 'ana@example.test' }, { csrf: null }),
      await phone.post(
        `/redeem/${code}/claim`,
        { email: 'ana@example.test' },
        { csrf: 'z'.repeat(43) },
      ),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(squash(response.body)).toContain('Reload the page and try again.');
    }
    expect(await magicLinkJobs()).toEqual([]);
    expect((await entitlement()).state).toBe('known');
  });

  it('says how to write an e-mail address on the code page, with 400', async () => {
    const phone = portalClient(t.app);
    await phone.get(`/redeem/${code}`);
    const refused = await phone.post(`/redeem/${code}/claim`, { email: 'ana at example' });
    expect(refused.statusCode).toBe(400);
    expect(squash(refused.body)).toContain('Enter your e-mail address, like name@example.com.');
    expect(squash(refused.body)).toContain('value="ana at example"');
    expect(squash(refused.body)).toContain('Redeem now');
    expect(await magicLinkJobs()).toEqual([]);
  });

  it('answers a claim of a forged code like an unknown one, and sends nothing', async () => {
    const phone = portalClient(t.app);
    await phone.get(`/redeem/${code}`);
    const forged = await issueCode({
      prefix: till.terminalPrefix,
      serial: 77,
      key: new Uint8Array(32),
    });
    const answer = await phone.post(`/redeem/${forged}/claim`, { email: 'ana@example.test' });
    expect(answer.statusCode).toBe(404);
    expect(squash(answer.body)).toContain('We can&#39;t use this code.');
    expect(await magicLinkJobs()).toEqual([]);
    expect(await t.db.selectFrom('login_tokens').selectAll().execute()).toEqual([]);
  });
});

describe('claiming a code', () => {
  it('offers "Claim it to your account" under "Redeem now" on a known code', async () => {
    const page = squash((await portalClient(t.app).get(`/redeem/${code}`)).body);
    expect(page.indexOf('Redeem now')).toBeLessThan(page.indexOf('Claim it to your account'));
    expect(page).toContain(`<form method="post" action="/redeem/${code}/claim">`);
    expect(page).toContain('<label for="email">E-mail address</label>');
    expect(page).toContain('Send me a link');
  });

  it('e-mails a working link; using it claims the code, signs in and lists it', async () => {
    const { phone, token } = await claimLink('ana@example.test');
    const [mail] = smtp.received;
    expect(mail?.parsed.subject).toBe('Claim your Gift card €25');
    expect(mail?.parsed.text).toContain(formatCode(code));
    expect((await entitlement()).state).toBe('known');

    // The till that sold it is told; another till of the store, which never pulls it, is not.
    const otherTill = await enrolTerminal(t.app, await t.pairingCode(till.storeId), 'Till 2');
    const notified = { seller: [] as string[], other: [] as string[] };
    t.notifier.subscribe(till.storeId, (c) => notified.seller.push(...c), till.terminalId);
    t.notifier.subscribe(till.storeId, (c) => notified.other.push(...c), otherTill.terminalId);
    t.clock.advance(60_000);
    expect((await phone.get(`/auth/link/${token}`)).statusCode).toBe(200);
    const used = await phone.post(`/auth/link/${token}`);
    expect(used.statusCode).toBe(303);
    expect(used.headers.location).toBe('/account');
    expect(notified).toEqual({ seller: ['entitlements'], other: [] });

    const account = await t.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    const row = await entitlement();
    expect(row).toMatchObject({
      state: 'claimed',
      holder_account_id: account.id,
      claimed_at: '2026-11-26T10:01:00.000Z',
      updated_at: '2026-11-26T10:01:00.000Z',
    });
    expect(row.seq).toBe(await latestSeq(t.db));
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['from_state', 'to_state', 'actor', 'reason', 'at'])
      .where('code', '=', code)
      .where('to_state', '=', 'claimed')
      .execute();
    expect(events).toEqual([
      {
        from_state: 'known',
        to_state: 'claimed',
        actor: `customer:${account.id}`,
        reason: 'claimed by e-mailed magic link',
        at: '2026-11-26T10:01:00.000Z',
      },
    ]);

    const page = squash((await phone.get('/account')).body);
    expect(page).toContain(`data-code="${code}"`);
    expect(page).toContain(formatCode(code));
    expect(page).toContain('Gift card €25');
    expect(page).toContain('Test Shop');
    expect(page).toContain('<dd>Claimed</dd>');
    expect(page).toContain('Claimed by you on 26 November 2026 at 10:01 UTC');
    expect(page).toContain('Sign out');
  });

  it('makes exactly one of two accounts the holder when both claim at once', async () => {
    const ana = await claimLink('ana@example.test');
    const bo = await claimLink('bo@example.test');
    await ana.phone.get(`/auth/link/${ana.token}`);
    await bo.phone.get(`/auth/link/${bo.token}`);
    const [first, second] = await Promise.all([
      ana.phone.post(`/auth/link/${ana.token}`),
      bo.phone.post(`/auth/link/${bo.token}`),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = first.statusCode === 409 ? first : second;
    expect(squash(loser.body)).toContain('was claimed by another account');
    const holders = await t.db
      .selectFrom('entitlements')
      .select('holder_account_id')
      .where('code', '=', code)
      .execute();
    expect(holders).toHaveLength(1);
    expect(holders[0]?.holder_account_id).not.toBeNull();
    expect(
      await t.db
        .selectFrom('entitlement_events')
        .selectAll()
        .where('to_state', '=', 'claimed')
        .execute(),
    ).toHaveLength(1);
  });
});
