import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode, issueCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { systemRandomBytes } from '../deps.ts';
import { expireProvisionalClaims } from '../entitlements/provisional-claims.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
let code: string;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  // Sold offline: the code is genuine, but its sale has not been pushed.
  sale = await saleMaker(till)();
  code = sale.lines[0]?.codes[0] ?? '';
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

/** A phone on the code page asks for a claim link; the link from the real e-mail. */
async function askLink(email: string): Promise<{ phone: PortalClient; token: string }> {
  const phone = portalClient(t.app);
  const shown = await phone.get(`/redeem/${code}`);
  expect(squash(shown.body)).toContain('Claim it now');
  const asked = await phone.post(`/redeem/${code}/claim`, { email });
  expect(squash(asked.body)).toContain('<h1>Check your inbox</h1>');
  await t.outbox.runOnce();
  const mail = smtp.received.findLast((received) => received.to.includes(email));
  const token = /https:\/\/shop\.example\.test\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(
    mail?.parsed.text ?? '',
  )?.[1];
  if (token === undefined) throw new Error(`no claim link e-mailed to ${email}`);
  return { phone, token };
}

async function claimNow(email: string): Promise<PortalClient> {
  const { phone, token } = await askLink(email);
  const used = await phone.post(`/auth/link/${token}`);
  expect(used.statusCode).toBe(303);
  expect(used.headers.location).toBe('/account');
  return phone;
}

const claims = () => t.db.selectFrom('provisional_claims').selectAll().execute();
const entitlement = () =>
  t.db.selectFrom('entitlements').selectAll().where('code', '=', code).executeTakeFirst();

describe('provisional claims: refusals', () => {
  it('gives a forged code the neutral answer, no claim form and no e-mail', async () => {
    const forged = await issueCode({
      prefix: till.terminalPrefix,
      serial: 5,
      key: new Uint8Array(32),
    });
    const phone = portalClient(t.app);
    const shown = await phone.get(`/redeem/${forged}`);
    expect(shown.statusCode).toBe(404);
    expect(squash(shown.body)).not.toContain('Claim it now');
    const asked = await phone.post(`/redeem/${forged}/claim`, { email: 'ana@example.test' });
    expect(asked.statusCode).toBe(404);
    expect(squash(asked.body)).toContain('We can&#39;t use this code.');
    await t.outbox.runOnce();
    expect(smtp.received).toEqual([]);
    expect(await t.db.selectFrom('login_tokens').selectAll().execute()).toEqual([]);
  });

  it('refuses a claim without its CSRF pair with 403, and sends nothing', async () => {
    const stranger = portalClient(t.app);
    const refused = await stranger.post(
      `/redeem/${code}/claim`,
      { email: 'ana@example.test' },
      { csrf: null },
    );
    expect(refused.statusCode).toBe(403);
    await t.outbox.runOnce();
    expect(smtp.received).toEqual([]);
    expect(await claims()).toEqual([]);
  });

  it('refuses a second account on a waiting code, at the form and at the link', async () => {
    const late = await askLink('bo@example.test'); // asked before Ana's claim, used after it
    await claimNow('ana@example.test');
    const page = squash((await late.phone.get(`/redeem/${code}`)).body);
    expect(page).toContain("Claimed — waiting for the shop's sale to arrive.");
    expect(page).not.toContain('Claim it now</button>');
    const tokens = (await t.db.selectFrom('login_tokens').selectAll().execute()).length;
    const again = await late.phone.post(`/redeem/${code}/claim`, { email: 'bo@example.test' });
    expect(squash(again.body)).toContain('<h1>Check your inbox</h1>');
    expect(await t.db.selectFrom('login_tokens').selectAll().execute()).toHaveLength(tokens);
    const used = await late.phone.post(`/auth/link/${late.token}`);
    expect(used.statusCode).toBe(409);
    expect(squash(used.body)).toContain('was claimed by another account');
    const ana = await t.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'ana@example.test')
      .executeTakeFirstOrThrow();
    expect((await claims()).map((claim) => [claim.account_id, claim.state])).toEqual([
      [ana.id, 'waiting'],
    ]);
  });
});

describe('provisional claims', () => {
  it('claims a genuine code before its sale, and confirms it when the sale arrives', async () => {
    const { phone, token } = await askLink('ana@example.test');
    expect(smtp.received[0]?.parsed.subject).toBe('Claim your code from Test Shop');
    expect(smtp.received[0]?.parsed.text).toContain(formatCode(code));
    t.clock.advance(60_000);
    expect((await phone.post(`/auth/link/${token}`)).headers.location).toBe('/account');
    const [claim] = await claims();
    expect(claim).toMatchObject({
      code,
      store_id: till.storeId,
      terminal_id: till.terminalId,
      created_at: '2026-11-26T10:01:00.000Z',
      expires_at: '2026-12-03T10:01:00.000Z',
      state: 'waiting',
      reason: null,
    });
    expect(await entitlement()).toBeUndefined();
    const waiting = squash((await phone.get('/account')).body);
    expect(waiting).toContain("Claimed — waiting for the shop's sale to arrive");
    expect(waiting).toContain(formatCode(code));

    t.clock.advance(3_600_000);
    for (let push = 0; push < 2; push++) {
      expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
      await t.outbox.runOnce();
    }
    expect(await entitlement()).toMatchObject({
      state: 'claimed',
      holder_account_id: claim?.account_id,
      claimed_at: '2026-11-26T10:01:00.000Z',
    });
    expect((await claims())[0]?.state).toBe('activated');
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['from_state', 'to_state', 'actor', 'reason'])
      .where('code', '=', code)
      .orderBy('id')
      .execute();
    expect(events).toContainEqual({
      from_state: 'known',
      to_state: 'claimed',
      actor: 'system',
      reason: 'provisional claim confirmed when the sale arrived',
    });
    const confirmed = smtp.received.filter((mail) => mail.parsed.subject?.startsWith('Your code'));
    expect(confirmed.map((mail) => [mail.to, mail.parsed.subject])).toEqual([
      [['ana@example.test'], `Your code ${formatCode(code)} is confirmed`],
    ]);
    expect(confirmed[0]?.parsed.text).toContain('https://shop.example.test/account');
    const account = squash((await phone.get('/account')).body);
    expect(account).toContain('<dd>Claimed</dd>');
    expect(account).not.toContain('waiting for the shop');
  });

  it('cancels a claim whose sale never arrives by the deadline, and e-mails why', async () => {
    const phone = await claimNow('ana@example.test');
    t.clock.advance(7 * 86_400_000);
    expect(
      await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey),
    ).toEqual([code]);
    await t.outbox.runOnce();
    const [cancelled] = smtp.received.filter((mail) => mail.parsed.subject?.includes('cancelled'));
    expect(cancelled?.to).toEqual(['ana@example.test']);
    expect(cancelled?.parsed.text).toContain("the shop's sale never arrived");
    const account = squash((await phone.get('/account')).body);
    expect(account).toContain('Claim cancelled: the shop&#39;s sale never arrived');
  });
});
