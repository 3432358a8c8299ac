import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('the app outbox', () => {
  it('links codes in e-mails to the same portal the terminals were told about', async () => {
    const till = await enrolTerminal(t.app, await t.pairingCode());
    const sale = await saleMaker(till)([GIFT_25], { buyerEmail: 'buyer@example.test' });
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    expect(t.mail).toEqual([]);
    // The e-mail and the buyer's background account.
    expect(await t.outbox.runOnce()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(t.mail).toHaveLength(1);
    const [message] = t.mail;
    expect(message).toMatchObject({
      to: 'buyer@example.test',
      subject: 'Your receipt and codes from Test Shop',
      messageId: `sale-codes-email:${sale.id}`,
    });
    expect(message?.text).toContain(`${till.redeemBaseUrl}/${sale.lines[0]?.codes[0] ?? '?'}`);
  });
});
