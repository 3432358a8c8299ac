import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker, type LineInput } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { claimedBy, linkIn, signedInClient } from './signed-in-client.ts';

const BUYER = 'buyer@example.test';
const OTHER_BUYER = 'other@example.test';
const ANA = 'ana@example.test';
const VOUCHERS: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 3,
};

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
let codes: string[];
let buyer: PortalClient;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
  sale = await makeSale([VOUCHERS], { buyerEmail: BUYER });
  expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
  await t.outbox.runOnce();
  codes = [...(sale.lines[0]?.codes ?? [])].sort();
  buyer = await signedInClient(t, smtp, BUYER);
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

const mailTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));
const jobs = (kind: string) =>
  t.db.selectFrom('outbox').select('idempotency_key').where('kind', '=', kind).execute();
const handovers = (code: string) =>
  t.db
    .selectFrom('entitlement_events')
    .select(['from_state', 'to_state', 'actor', 'reason'])
    .where('code', '=', code)
    .where('reason', 'not like', 'sale synced')
    .where('to_state', '=', 'known')
    .execute();
const accountIdOf = async (email: string) =>
  (
    await t.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).id;

describe('giving a bought code: refusals', () => {
  it('sends a visitor who is not signed in to sign in, and gives nothing', async () => {
    const stranger = portalClient(t.app);
    const response = await stranger.post(
      `/account/codes/${codes[0]}/give`,
      { email: ANA },
      { csrf: null },
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/signin');
    expect((await entitlementOf(t.db, codes[0]!)).given_to).toBeNull();
    expect(await jobs('assignment-email')).toEqual([]);
  });

  it('refuses a form without the session’s CSRF token with 403', async () => {
    for (const csrf of [null, 'z'.repeat(43)]) {
      const response = await buyer.post(
        `/account/codes/${codes[0]}/give`,
        { email: ANA },
        { csrf },
      );
      expect(response.statusCode).toBe(403);
      expect(squash(response.body)).toContain('Reload the page and try again.');
    }
    expect((await entitlementOf(t.db, codes[0]!)).given_to).toBeNull();
    expect(await jobs('assignment-email')).toEqual([]);
  });

  it('answers a code bought by someone else exactly like one that does not exist', async () => {
    const theirs = await makeSale([{ ...VOUCHERS, quantity: 1 }], {
      buyerEmail: OTHER_BUYER,
    });
    await pushSales(t.app, till.token, [theirs]);
    await t.outbox.runOnce();
    const theirCode = theirs.lines[0]!.codes[0]!;
    const notYours = await buyer.post(`/account/codes/${theirCode}/give`, { email: ANA });
    const missing = await buyer.post(`/account/codes/NOPE-NOPE-NOPE/give`, { email: ANA });
    expect(notYours.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(notYours.body).toBe(missing.body);
    expect(squash(notYours.body)).toContain('Open your account and choose it from the list.');
    expect((await entitlementOf(t.db, theirCode)).given_to).toBeNull();
    expect(await jobs('assignment-email')).toEqual([]);
  });

  it('says what to type when the address is not an e-mail, with 400, keeping what was typed', async () => {
    const response = await buyer.post(`/account/codes/${codes[0]}/give`, { email: 'ana at home' });
    expect(response.statusCode).toBe(400);
    const page = squash(response.body);
    expect(page).toContain('Enter your e-mail address, like name@example.com.');
    expect(page).toContain('value="ana at home"');
    expect((await entitlementOf(t.db, codes[0]!)).given_to).toBeNull();
  });

  it('refuses a code already given, with 409, and sends no second e-mail', async () => {
    expect((await buyer.post(`/account/codes/${codes[0]}/give`, { email: ANA })).statusCode).toBe(
      303,
    );
    await buyer.get('/account');
    const again = await buyer.post(`/account/codes/${codes[0]}/give`, { email: 'bo@example.test' });
    expect(again.statusCode).toBe(409);
    expect(squash(again.body)).toContain(
      `Code ${formatCode(codes[0]!)} was already given to ${ANA}.`,
    );
    expect((await entitlementOf(t.db, codes[0]!)).given_to).toBe(ANA);
    expect(await jobs('assignment-email')).toHaveLength(1);
  });

  it('refuses a code someone already claimed, with 409', async () => {
    await claimedBy(t, smtp, codes[1]!, ANA);
    await buyer.get('/account');
    const response = await buyer.post(`/account/codes/${codes[1]}/give`, {
      email: 'bo@example.test',
    });
    expect(response.statusCode).toBe(409);
    expect(squash(response.body)).toContain('was already claimed, so it can no longer be given.');
    expect((await entitlementOf(t.db, codes[1]!)).given_to).toBeNull();
  });
});

describe('giving a bought code (buy now, assign later)', () => {
  it('marks it given, records who did it, and e-mails the recipient its link', async () => {
    const page = squash((await buyer.get('/account')).body);
    expect(page).toContain(
      `<form method="post" action="/account/codes/${codes[0]}/give" class="give">`,
    );
    expect(page).toContain('Give to (e-mail)');
    expect(page).toContain(`href="/account/codes/${codes[0]}"`);

    t.clock.advance(60_000);
    const given = await buyer.post(`/account/codes/${codes[0]}/give`, {
      email: ' Ana@Example.test ',
    });
    expect(given.statusCode).toBe(303);
    expect(given.headers.location).toBe('/account');
    expect(await entitlementOf(t.db, codes[0]!)).toMatchObject({
      state: 'known',
      given_to: ANA,
      given_at: '2026-11-26T10:01:00.000Z',
      holder_account_id: null,
    });
    expect(await handovers(codes[0]!)).toEqual([
      {
        from_state: 'known',
        to_state: 'known',
        actor: `customer:${await accountIdOf(BUYER)}`,
        reason: `given to ${ANA} by the buyer`,
      },
    ]);

    await t.outbox.runOnce();
    const [mail, ...more] = mailTo(ANA);
    expect(more).toEqual([]);
    expect(mail?.parsed.text).toContain(formatCode(codes[0]!));
    expect(mail?.parsed.text).toContain(`https://shop.example.test/redeem/${codes[0]}`);
    const after = squash((await buyer.get('/account')).body);
    expect(after).toContain(`Given to ${ANA} — sent 26 November 2026`);
    expect(after).not.toContain(`action="/account/codes/${codes[0]}/give"`);

    // The recipient claims it like any code.
    await claimedBy(t, smtp, codes[0]!, ANA);
    expect((await entitlementOf(t.db, codes[0]!)).holder_account_id).toBe(await accountIdOf(ANA));
  });
});

describe('transferring a held code: refusals', () => {
  it('answers a code held by someone else like a missing one, and changes nothing', async () => {
    await claimedBy(t, smtp, codes[0]!, ANA);
    await buyer.get('/account');
    const response = await buyer.post(`/account/codes/${codes[0]}/transfer`, {
      email: 'bo@example.test',
    });
    const missing = await buyer.post('/account/codes/NOPE-NOPE-NOPE/transfer', {
      email: 'bo@example.test',
    });
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe(missing.body);
    expect((await entitlementOf(t.db, codes[0]!)).holder_account_id).toBe(await accountIdOf(ANA));
  });

  it('refuses the holder’s own address and a bad address with 400, and a registered code with 409', async () => {
    const ana = await claimedBy(t, smtp, codes[0]!, ANA);
    const own = await ana.post(`/account/codes/${codes[0]}/transfer`, { email: ANA });
    expect(own.statusCode).toBe(400);
    expect(squash(own.body)).toContain('That is your own address.');
    const bad = await ana.post(`/account/codes/${codes[0]}/transfer`, { email: 'bo@' });
    expect(bad.statusCode).toBe(400);
    expect(squash(bad.body)).toContain('Enter your e-mail address, like name@example.com.');
    await t.db
      .updateTable('entitlements')
      .set({ state: 'onboarded' })
      .where('code', '=', codes[0]!)
      .execute();
    const registered = await ana.post(`/account/codes/${codes[0]}/transfer`, {
      email: 'bo@example.test',
    });
    expect(registered.statusCode).toBe(409);
    expect(squash(registered.body)).toContain(
      'only a claimed code that nothing was registered on can be transferred',
    );
    expect((await entitlementOf(t.db, codes[0]!)).holder_account_id).toBe(await accountIdOf(ANA));
    expect(await jobs('transfer-email')).toEqual([]);
  });
});

describe('transferring a held code', () => {
  it('makes the other account the holder, records it and e-mails the new holder', async () => {
    const ana = await claimedBy(t, smtp, codes[0]!, ANA);
    expect(squash((await ana.get('/account')).body)).toContain('Transfer to (e-mail)');
    t.clock.advance(60_000);
    const moved = await ana.post(`/account/codes/${codes[0]}/transfer`, {
      email: 'bo@example.test',
    });
    expect(moved.statusCode).toBe(303);
    const bo = await accountIdOf('bo@example.test');
    expect(await entitlementOf(t.db, codes[0]!)).toMatchObject({
      state: 'claimed',
      holder_account_id: bo,
      claimed_at: '2026-11-26T10:01:00.000Z',
    });
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['from_state', 'to_state', 'actor', 'reason'])
      .where('code', '=', codes[0]!)
      .where('reason', 'like', 'transferred%')
      .execute();
    expect(events).toEqual([
      {
        from_state: 'claimed',
        to_state: 'claimed',
        actor: `customer:${await accountIdOf(ANA)}`,
        reason: 'transferred to bo@example.test by the holder',
      },
    ]);
    await t.outbox.runOnce();
    const [mail] = mailTo('bo@example.test');
    expect(mail?.parsed.subject).toBe('Spa voucher from Test Shop is yours now');
    expect(mail?.parsed.text).toContain(formatCode(codes[0]!));
    expect(linkIn(smtp, 'bo@example.test', /https:\/\/shop\.example\.test\/account/)).toBeTruthy();
    expect(squash((await ana.get('/account')).body)).not.toContain(formatCode(codes[0]!));
    const boPage = squash(
      (await (await signedInClient(t, smtp, 'bo@example.test')).get('/account')).body,
    );
    expect(boPage).toContain(formatCode(codes[0]!));
  });
});
