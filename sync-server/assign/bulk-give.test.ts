import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker, type LineInput } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { signedInClient } from './signed-in-client.ts';

const BUYER = 'office@example.test';
const VOUCHERS: LineInput = {
  productId: 'prod-lunch',
  name: 'Lunch voucher',
  kind: 'voucher',
  unitPrice: 1200,
  quantity: 25,
};
const staff = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `staff${String(i + 1).padStart(2, '0')}@example.test`);

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
let sale: Sale;
let codes: string[];
let buyer: PortalClient;
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

const give = (emails: readonly string[], client = buyer, options = {}) =>
  client.post(
    `/account/sales/${sale.id}/give`,
    { productId: VOUCHERS.productId, emails: emails.join('\r\n') },
    options,
  );
const givenCount = async () =>
  (
    await t.db
      .selectFrom('entitlements')
      .select('code')
      .where('sale_id', '=', sale.id)
      .where('given_to', 'is not', null)
      .execute()
  ).length;
const assignmentJobs = () =>
  t.db
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('kind', '=', 'assignment-email')
    .execute();

describe('giving a sale’s codes in bulk: refusals', () => {
  it('sends a visitor who is not signed in to sign in, and refuses a forged form', async () => {
    const stranger = await give(staff(2), portalClient(t.app), { csrf: null });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.headers.location).toBe('/signin');
    expect((await give(staff(2), buyer, { csrf: 'q'.repeat(43) })).statusCode).toBe(403);
    expect(await givenCount()).toBe(0);
  });

  it('answers a sale bought by someone else like one that does not exist', async () => {
    const theirs = await makeSale([{ ...VOUCHERS, quantity: 2 }], { buyerEmail: 'x@example.test' });
    await pushSales(t.app, till.token, [theirs]);
    await t.outbox.runOnce();
    const form = { productId: VOUCHERS.productId, emails: 'a@example.test' };
    const notYours = await buyer.post(`/account/sales/${theirs.id}/give`, form);
    const missing = await buyer.post('/account/sales/no-such-sale/give', form);
    expect(notYours.statusCode).toBe(404);
    expect(notYours.body).toBe(missing.body);
    expect(await assignmentJobs()).toEqual([]);
  });

  it('names the line that is not an e-mail address, and gives nothing', async () => {
    const response = await give(['a@example.test', '', 'b at example', 'c@example.test']);
    expect(response.statusCode).toBe(400);
    const page = squash(response.body);
    expect(page).toContain('Line 3: “b at example” is not an e-mail address.');
    expect(page).toContain('a@example.test b at example c@example.test</textarea');
    expect(await givenCount()).toBe(0);
    expect(await assignmentJobs()).toEqual([]);
  });

  it('refuses a repeated address, naming both lines, and gives nothing', async () => {
    const response = await give(['a@example.test', 'b@example.test', 'A@example.test ']);
    expect(response.statusCode).toBe(400);
    expect(squash(response.body)).toContain('Line 3 repeats a@example.test from line 1.');
    expect(await givenCount()).toBe(0);
  });

  it('refuses more addresses than free codes, and an empty list', async () => {
    const tooMany = await give(staff(26));
    expect(tooMany.statusCode).toBe(400);
    expect(squash(tooMany.body)).toContain(
      'You typed 26 addresses, but only 25 codes are free to give. Remove 1 line.',
    );
    const empty = await give(['', '  ']);
    expect(empty.statusCode).toBe(400);
    expect(squash(empty.body)).toContain('Type at least one e-mail address, one per line.');
    expect(await givenCount()).toBe(0);
  });
});

describe('giving a sale’s codes in bulk', () => {
  it('offers one textarea for the 25 free codes of the sale', async () => {
    const page = squash((await buyer.get('/account')).body);
    expect(page).toContain('25 × Lunch voucher from Test Shop, not given yet');
    expect(page).toContain(`<form method="post" action="/account/sales/${sale.id}/give">`);
    expect(page).toContain('Give these codes, one e-mail per line');
    expect(page.match(/<textarea/g)).toHaveLength(1);
  });

  it('gives the first codes in code order, one e-mail each, and leaves the rest free', async () => {
    expect((await give(staff(3))).statusCode).toBe(303);
    const rows = await t.db
      .selectFrom('entitlements')
      .select(['code', 'given_to'])
      .where('sale_id', '=', sale.id)
      .where('given_to', 'is not', null)
      .orderBy('code')
      .execute();
    expect(rows).toEqual(staff(3).map((email, i) => ({ code: codes[i], given_to: email })));
    const page = squash((await buyer.get('/account')).body);
    expect(page).toContain('22 × Lunch voucher from Test Shop, not given yet');
  });

  it('gives all 25 codes from one form: 25 e-mails, each with its own code', async () => {
    const response = await give(staff(25));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account');
    expect(await givenCount()).toBe(25);
    await t.outbox.runOnce();
    await t.outbox.runOnce();
    const gifts = smtp.received.filter((mail) => mail.to[0]?.startsWith('staff'));
    expect(gifts).toHaveLength(25);
    staff(25).forEach((email, i) => {
      const mail = gifts.find((received) => received.to.includes(email));
      expect(mail?.parsed.text).toContain(formatCode(codes[i]!));
    });
    const page = squash((await buyer.get('/account')).body);
    expect(page).not.toContain('<textarea');
    expect(page).toContain('Given to staff25@example.test');
  });
});
