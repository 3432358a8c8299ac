import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { signedInClient } from '../assign/signed-in-client.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker, type LineInput } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';

const BUYER = 'buyer@example.test';
const FRIEND = 'friend@example.test';
const SPA: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 1,
};

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

async function push(sale: Sale): Promise<void> {
  const response = await pushSales(t.app, till.token, [sale]);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toEqual({ accepted: [sale.id], rejected: [] });
}

const giftJobs = () =>
  t.db
    .selectFrom('outbox')
    .select(['idempotency_key', 'state', 'next_attempt_at'])
    .where('kind', '=', 'gift-email')
    .execute();
const mailTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));

describe('gift lines: refusals', () => {
  it('refuses a gift line whose recipient is not an e-mail address, and enqueues nothing', async () => {
    const sale = await makeSale([{ ...SPA, gift: { recipientEmail: FRIEND } }]);
    const line = sale.lines[0]!;
    const bad = { ...sale, lines: [{ ...line, gift: { recipientEmail: 'friend at example' } }] };
    const response = await pushSales(t.app, till.token, [bad]);
    expect(response.json()).toMatchObject({ accepted: [], rejected: [{ id: sale.id }] });
    expect(await giftJobs()).toEqual([]);
  });

  it('refuses a send date that is not a calendar date', async () => {
    const sale = await makeSale([{ ...SPA, gift: { recipientEmail: FRIEND } }]);
    const line = sale.lines[0]!;
    const bad = {
      ...sale,
      lines: [{ ...line, gift: { recipientEmail: FRIEND, sendOn: '3 December' } }],
    };
    const response = await pushSales(t.app, till.token, [bad]);
    expect(response.json()).toMatchObject({ accepted: [], rejected: [{ id: sale.id }] });
    expect(await giftJobs()).toEqual([]);
  });
});

describe('gift e-mails, through a real SMTP server', () => {
  it('sends a gift for today on the next worker run, with the code, link and message', async () => {
    const sale = await makeSale(
      [{ ...SPA, quantity: 2, gift: { recipientEmail: FRIEND, message: 'Happy birthday, Jo!' } }],
      { buyerEmail: BUYER },
    );
    await push(sale);
    await push(sale);
    const line = sale.lines[0]!;
    expect(await giftJobs()).toEqual([
      {
        idempotency_key: `gift-email:${sale.id}:${line.lineId}`,
        state: 'pending',
        next_attempt_at: '2026-11-26T10:00:00.000Z',
      },
    ]);
    expect(smtp.received).toEqual([]);
    await t.outbox.runOnce();

    const [gift, ...more] = mailTo(FRIEND);
    expect(more).toEqual([]);
    expect(gift?.parsed.subject).toBe('A gift for you from Test Shop');
    const text = gift?.parsed.text ?? '';
    expect(text).toContain('Happy birthday, Jo!');
    for (const code of line.codes) {
      expect(text).toContain(formatCode(code));
      expect(text).toContain(`https://shop.example.test/redeem/${code}`);
      expect((await entitlementOf(t.db, code)).given_at).toBe('2026-11-26T10:00:00.000Z');
    }

    // The buyer's own e-mail names the recipient, never the gift's codes.
    const [receipt] = mailTo(BUYER);
    const receiptText = receipt?.parsed.text ?? '';
    expect(receiptText).toContain(`2 × Spa voucher: sent to ${FRIEND} on 26 November 2026`);
    for (const code of line.codes) expect(receiptText).not.toContain(formatCode(code));
    expect(receipt?.parsed.html).not.toContain(line.codes[0]);
  });

  it('holds a gift dated next week until the clock passes midnight UTC, then sends it once', async () => {
    const sale = await makeSale(
      [SPA, { ...SPA, gift: { recipientEmail: FRIEND, sendOn: '2026-12-03' } }],
      { buyerEmail: BUYER },
    );
    await push(sale);
    const giftCode = sale.lines[1]!.codes[0]!;
    expect((await giftJobs())[0]?.next_attempt_at).toBe('2026-12-03T00:00:00.000Z');
    await t.outbox.runOnce();
    expect(mailTo(FRIEND)).toEqual([]);
    const receiptText = mailTo(BUYER)[0]?.parsed.text ?? '';
    expect(receiptText).toContain(`will be sent to ${FRIEND} on 3 December 2026`);
    expect(receiptText).toContain(formatCode(sale.lines[0]!.codes[0]!));
    expect(receiptText).not.toContain(formatCode(giftCode));

    const buyer = await signedInClient(t, smtp, BUYER);
    const waiting = squash((await buyer.get('/account')).body);
    expect(waiting).toContain(`Will be sent to ${FRIEND} on 3 December 2026`);

    t.clock.set('2026-12-02T23:59:59.000Z');
    await t.outbox.runOnce();
    expect(mailTo(FRIEND)).toEqual([]);
    t.clock.set('2026-12-03T00:00:00.000Z');
    await t.outbox.runOnce();
    expect(mailTo(FRIEND)).toHaveLength(1);
    expect(mailTo(FRIEND)[0]?.parsed.text).toContain(formatCode(giftCode));
    t.clock.advance(86_400_000);
    await t.outbox.runOnce();
    expect(mailTo(FRIEND)).toHaveLength(1);

    const given = squash((await buyer.get('/account')).body);
    expect(given).toContain(`Given to ${FRIEND} — sent 3 December 2026`);
    expect(given).not.toContain(formatCode(giftCode));
    expect(given).not.toContain(giftCode);
  });
});
