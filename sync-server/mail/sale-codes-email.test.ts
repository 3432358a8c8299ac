import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

const BUYER = 'buyer@example.test';
const VOUCHER = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 2,
} as const;

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  smtp = await startTestSmtpServer({ refuse: ['nobody@example.test'] });
  t = await createTestApp({
    publicUrl: 'https://shop.example.test/',
    mailer: createSmtpMailer({ url: smtp.url, from: 'Test Shop <till@shop.example.test>' }),
  });
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

async function push(documents: unknown[]): Promise<void> {
  const response = await pushSales(t.app, till.token, documents);
  expect(response.statusCode, response.body).toBe(200);
}

/** This file's kind only: the same push also owes the buyer's account (accounts/). */
const outboxRows = () =>
  t.db
    .selectFrom('outbox')
    .select(['kind', 'idempotency_key', 'state', 'last_error'])
    .where('kind', '=', 'sale-codes-email')
    .execute();

describe('the buyer e-mail of a pushed sale, through a real SMTP server', () => {
  it('sends nothing from the push itself, then one message with every code and its link', async () => {
    const sale = await makeSale([GIFT_25, VOUCHER], { buyerEmail: BUYER });
    await push([sale]);
    expect(smtp.received).toEqual([]);
    expect(await outboxRows()).toEqual([
      {
        kind: 'sale-codes-email',
        idempotency_key: `sale-codes-email:${sale.id}`,
        state: 'pending',
        last_error: null,
      },
    ]);

    // The e-mail and the buyer's background account.
    expect(await t.outbox.runOnce()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail?.to).toEqual([BUYER]);
    const parsed = mail!.parsed;
    expect(parsed.subject).toBe('Your receipt and codes from Test Shop');
    expect(parsed.from?.text).toBe('"Test Shop" <till@shop.example.test>');
    expect(parsed.messageId).toBe(`<sale-codes-email.${sale.id}@shop.example.test>`);
    const text = parsed.text ?? '';
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    const codes = sale.lines.flatMap((line) => line.codes);
    expect(codes).toHaveLength(3);
    for (const code of codes) {
      expect(text).toContain(formatCode(code));
      expect(text).toContain(`https://shop.example.test/redeem/${code}`);
      expect(html).toContain(`href="https://shop.example.test/redeem/${code}"`);
    }
    expect(text).toContain(`Receipt ${sale.receiptNumber}`);
    expect(text).toContain('for Spa voucher (Voucher)');
    expect(text).toContain('2 × Spa voucher: €99.00');
    expect(text).toContain('Total: €124.00');
    expect(await outboxRows()).toMatchObject([{ state: 'sent' }]);

    expect(await t.outbox.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('sends one message for a sale pushed twice, in two pushes and twice in one batch', async () => {
    const sale = await makeSale([GIFT_25], { buyerEmail: BUYER });
    await push([sale, sale]);
    await push([sale]);
    expect(await outboxRows()).toHaveLength(1);
    await t.outbox.runOnce();
    await push([sale]);
    await t.outbox.runOnce();
    expect(smtp.received).toHaveLength(1);
  });

  it('sends nothing for a sale without a buyer e-mail, or for a refused sale', async () => {
    const plain = await makeSale();
    const first = await makeSale([GIFT_25], { buyerEmail: BUYER });
    // Same codes as `first` under another id: refused, so it must not owe an e-mail either.
    const thief = { ...first, id: 'another-sale', buyerEmail: 'thief@example.test' };
    await push([plain]);
    expect(await outboxRows()).toEqual([]);
    await push([first]);
    const refused = await pushSales(t.app, till.token, [thief]);
    expect(refused.json()).toMatchObject({ accepted: [], rejected: [{ id: 'another-sale' }] });
    expect(await outboxRows()).toMatchObject([{ idempotency_key: `sale-codes-email:${first.id}` }]);
    await t.outbox.runOnce();
    expect(smtp.received.map((mail) => mail.to)).toEqual([[BUYER]]);
  });

  it('keeps the message for a retry when the mail server refuses the mailbox', async () => {
    await push([await makeSale([GIFT_25], { buyerEmail: 'nobody@example.test' })]);
    expect(await t.outbox.runOnce()).toEqual({ sent: 1, retried: 1, failed: 0 });
    const [row] = await outboxRows();
    expect(row?.state).toBe('pending');
    expect(row?.last_error).toMatch(/550/);
    expect(smtp.received).toEqual([]);
  });
});
