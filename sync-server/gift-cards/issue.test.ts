import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { systemRandomBytes } from '../deps.ts';
import { storeSale } from '../sync/accept-sale.ts';
import { GIFT_50, PCR_VOUCHER } from '../test-support/gift-cards.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { GIFT_25, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { templatesOf } from '../templates/templates.ts';
import { issueGiftCards } from './issue.ts';
import { giftCardBalanceText } from './ledger.ts';

let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  makeSale = saleMaker(till);
});
afterEach(async () => {
  await t.close();
});

const ledger = () =>
  t.db
    .selectFrom('gift_card_ledger')
    .select(['code', 'kind', 'amount', 'currency', 'reference', 'actor', 'idempotency_key'])
    .orderBy('code')
    .execute();

describe('issuing gift cards when a sale syncs', () => {
  it('funds each gift card once with its template balance; other kinds get no money', async () => {
    const sale = await makeSale([GIFT_25, { ...GIFT_50, quantity: 2 }, PCR_VOUCHER]);
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    const [gift25, gift50, voucher] = sale.lines;
    const expected = [
      ...(gift25?.codes ?? []).map((code) => [code, 2500]),
      ...(gift50?.codes ?? []).map((code) => [code, 5000]),
    ].map(([code, amount]) => ({
      code,
      kind: 'issue',
      amount,
      currency: 'EUR',
      reference: sale.id,
      actor: `terminal:${till.terminalId}`,
      idempotency_key: `issue:${String(code)}`,
    }));
    expect(await ledger()).toEqual(
      expected.sort((a, b) => String(a.code).localeCompare(String(b.code))),
    );
    expect(await ledger()).toHaveLength(3);
    expect(voucher?.codes).toHaveLength(1);
  });

  it('writes no second issue entry when the same sale is issued again', async () => {
    const sale = await makeSale([GIFT_25]);
    const deps = { clock: t.clock.now, randomBytes: systemRandomBytes, masterKey: t.masterKey };
    expect(await storeSale(t.db, sale, deps)).toEqual({ kind: 'written' });
    expect(await storeSale(t.db, sale, deps)).toEqual({ kind: 'duplicate' });
    const templates = await templatesOf(t.db, sale.storeId, ['prod-gift-25']);
    // Once again, and twice in one batch (one statement): still the one entry.
    await issueGiftCards(t.db, [{ sale, templates }], deps);
    await issueGiftCards(
      t.db,
      [
        { sale, templates },
        { sale, templates },
      ],
      deps,
    );
    expect(await ledger()).toHaveLength(1);
  });

  it('shows the balance on the portal code page, and none for a code that is no gift card', async () => {
    const sale = await makeSale([GIFT_25, PCR_VOUCHER]);
    await pushSales(t.app, till.token, [sale]);
    const [gift, voucher] = sale.lines.map((line) => line.codes[0] ?? '');
    expect(await giftCardBalanceText(t.db, gift ?? '')).toBe('€25.00');
    expect(await giftCardBalanceText(t.db, voucher ?? '')).toBeNull();
    const giftPage = await t.app.inject({ method: 'GET', url: `/redeem/${gift ?? ''}` });
    expect(giftPage.body).toContain('<dd data-balance>€25.00</dd>');
    const voucherPage = await t.app.inject({ method: 'GET', url: `/redeem/${voucher ?? ''}` });
    expect(voucherPage.statusCode).toBe(200);
    expect(voucherPage.body).not.toContain('data-balance');
  });
});
