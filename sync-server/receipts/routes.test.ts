import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import {
  GIFT_25,
  enrolTerminal,
  errorOf,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { RESEND_RATE_LIMIT } from './routes.ts';

const BUYER = 'buyer@example.test';

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
let plainSale: Sale;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  const makeSale = saleMaker(till);
  sale = await makeSale([GIFT_25], { buyerEmail: BUYER });
  plainSale = await makeSale([GIFT_25]);
  const pushed = await pushSales(t.app, till.token, [sale, plainSale]);
  expect(pushed.statusCode, pushed.body).toBe(200);
  await t.outbox.runOnce();
  smtp.received.length = 0;
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

function resend(saleId: string, payload: unknown = {}, token: string | null = till.token) {
  return t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sales/${saleId}/resend-receipt`,
    headers: token === null ? { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } : syncHeaders(token),
    payload: payload as Record<string, unknown>,
  });
}

const resendRows = () =>
  t.db
    .selectFrom('outbox')
    .select(['idempotency_key'])
    .where('idempotency_key', 'like', 'sale-codes-email:%:resend_%')
    .execute();

describe('POST /api/v1/sales/:saleId/resend-receipt: refusals', () => {
  it('refuses a request without a terminal token', async () => {
    const response = await resend(sale.id, {}, null);
    expect(response.statusCode).toBe(401);
    expect(await resendRows()).toEqual([]);
  });

  it('answers 404 with what will happen for a sale that has not synced', async () => {
    const response = await resend('not-yet-synced');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toEqual({
      error: 'sale_not_synced',
      message: 'This sale has not reached the server yet; it will be e-mailed when it syncs.',
    });
  });

  it("answers 404 for another store's sale, as if it did not exist", async () => {
    const other = await t.addStore('Other Shop');
    const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Their till');
    const response = await resend(sale.id, { email: 'thief@example.test' }, stranger.token);
    expect(response.statusCode).toBe(404);
    expect(await resendRows()).toEqual([]);
  });

  it('refuses an address that is not an e-mail, and a sale without one when none is typed', async () => {
    const bad = await resend(sale.id, { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toContain('e-mail');
    const none = await resend(plainSale.id);
    expect(none.statusCode).toBe(400);
    expect(errorOf(none)).toMatchObject({ error: 'email_required' });
    expect(await resendRows()).toEqual([]);
  });

  it(`rate limits a terminal to ${String(RESEND_RATE_LIMIT)} resends a minute`, async () => {
    const codes: number[] = [];
    for (let i = 0; i <= RESEND_RATE_LIMIT; i++) codes.push((await resend(sale.id)).statusCode);
    expect(codes.slice(0, RESEND_RATE_LIMIT).every((code) => code === 202)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });
});

describe('POST /api/v1/sales/:saleId/resend-receipt', () => {
  it('queues the receipt for the buyer again under a fresh key; each resend is a new message', async () => {
    const first = await resend(sale.id);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ queued: true, to: BUYER });
    expect(await resend(sale.id)).toMatchObject({ statusCode: 202 });
    const rows = await resendRows();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.idempotency_key)).size).toBe(2);

    expect(await t.outbox.runOnce()).toMatchObject({ sent: 2, failed: 0 });
    expect(smtp.received.map((mail) => mail.to)).toEqual([[BUYER], [BUYER]]);
    const ids = smtp.received.map((mail) => mail.parsed.messageId);
    expect(new Set(ids).size).toBe(2);
    const text = smtp.received[0]?.parsed.text ?? '';
    expect(text).toContain(`Receipt ${sale.receiptNumber}`);
    for (const code of sale.lines.flatMap((line) => line.codes)) {
      expect(text).toContain(formatCode(code));
      expect(text).toContain(`https://shop.example.test/redeem/${code}`);
    }
  });

  it('sends to the address typed at the counter, also for a sale that had none', async () => {
    const response = await resend(plainSale.id, { email: 'later@example.test' });
    expect(response.statusCode, response.body).toBe(202);
    await t.outbox.runOnce();
    expect(smtp.received.map((mail) => mail.to)).toEqual([['later@example.test']]);
    expect(smtp.received[0]?.parsed.subject).toBe('Your receipt and codes from Test Shop');
  });
});
