import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import { giftCardClient } from '../test-support/gift-cards.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { GIFT_25, enrolTerminal, errorOf, pushSales, syncHeaders } from '../test-support/sales.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
});
afterEach(async () => {
  await t.close();
});

describe('a voided gift card', () => {
  it('keeps its ledger as it was and refuses every later spend', async () => {
    const card = giftCardClient(t, till);
    const sale = await card.makeSale([GIFT_25]);
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    const code = sale.lines[0]!.codes[0]!;
    expect((await card.spend(code, { amount: 500, idempotencyKey: randomUUID() })).statusCode).toBe(
      200,
    );
    const before = await card.ledger(code);

    const pushed = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/voids/push`,
      headers: syncHeaders(till.token),
      payload: {
        rows: [
          {
            newDocumentState: {
              _deleted: false,
              id: randomUUID(),
              storeId: sale.storeId,
              terminalId: sale.terminalId,
              saleId: sale.id,
              receiptNumber: sale.receiptNumber,
              reason: 'Refunded in cash',
              staffId: null,
              approvedBy: null,
              createdAt: sale.createdAt,
            },
            assumedMasterState: null,
          },
        ],
      },
    });
    expect(pushed.statusCode).toBe(200);

    const refused = await card.spend(code, { amount: 100, idempotencyKey: randomUUID() });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).error).toBe('gift_card_unusable');
    expect(await card.ledger(code)).toEqual(before);
  });
});
