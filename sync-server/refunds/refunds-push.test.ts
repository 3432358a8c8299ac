import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { stateOf } from '../test-support/entitlements.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import {
  GIFT_25,
  enrolTerminal,
  errorOf,
  pushSales,
  saleMaker,
  syncHeaders,
  type LineInput,
} from '../test-support/sales.ts';
import { pushRefunds, refundOf } from './test-support.ts';

const VOUCHERS: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 2,
};

let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
let makeSale: ReturnType<typeof saleMaker>;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
  sale = await makeSale([VOUCHERS, GIFT_25]);
});
afterEach(async () => {
  await t.close();
});

type PushBody = { accepted: string[]; rejected: { id: string; reason: string }[] };
const push = async (documents: readonly unknown[], token = till.token) =>
  (await pushRefunds(t.app, token, documents)).json<PushBody>();
async function pushSale(target: Sale): Promise<void> {
  expect((await pushSales(t.app, till.token, [target])).json()).toEqual({
    accepted: [target.id],
    rejected: [],
  });
}
const refundRows = () => t.db.selectFrom('sale_refunds').selectAll().orderBy('seq').execute();
const statesOf = (codes: readonly string[]) =>
  Promise.all(codes.map((code) => stateOf(t.db, code)));
const voucherCodes = () => sale.lines[0]!.codes;
const giftCodes = () => sale.lines[1]!.codes;

describe('pushing refunds: refusals', () => {
  it('refuses an unknown token, a body that is not a push, and a row of another store', async () => {
    await pushSale(sale);
    const anonymous = await pushRefunds(t.app, 'not-a-token', [refundOf(sale, [0])]);
    expect(anonymous.statusCode).toBe(401);
    const malformed = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/refunds/push`,
      headers: syncHeaders(till.token),
      payload: { refunds: [refundOf(sale, [0])] },
    });
    expect(malformed.statusCode).toBe(400);
    const otherStore = await pushRefunds(t.app, till.token, [
      refundOf(sale, [0], { storeId: 'store_elsewhere' }),
    ]);
    expect(otherStore.statusCode).toBe(403);
    expect(errorOf(otherStore).error).toBe('wrong_store');
    const otherTill = await pushRefunds(t.app, till.token, [
      refundOf(sale, [0], { terminalId: 'term_elsewhere' }),
    ]);
    expect(errorOf(otherTill).error).toBe('wrong_terminal');
    expect(await refundRows()).toEqual([]);
    expect(await statesOf(voucherCodes())).toEqual(['known', 'known']);
  });

  it('rejects by row a refund of the wrong shape, a deletion, and wrong arithmetic', async () => {
    await pushSale(sale);
    const noReason = refundOf(sale, [0], { reason: ' ' });
    const deleted = { ...refundOf(sale, [0]), _deleted: true };
    const tendersShort = refundOf(sale, [0], { tenders: [{ method: 'cash', amount: 100 }] });
    const wrongAmount = refundOf(sale, [0], {
      amount: 100,
      tenders: [{ method: 'cash', amount: 100 }],
    });
    const body = await push([noReason, deleted, tendersShort, wrongAmount, 'a string']);
    expect(body.accepted).toEqual([]);
    expect(body.rejected.map((row) => row.id)).toEqual([
      noReason.id,
      deleted.id,
      tendersShort.id,
      wrongAmount.id,
      '#4',
    ]);
    expect(body.rejected[0]?.reason).toContain('Say why the sale is refunded.');
    expect(body.rejected[1]?.reason).toBe(
      'Refunds cannot be deleted; a refund is a fact of the counter.',
    );
    expect(body.rejected[2]?.reason).toContain('do not add up to the amount');
    expect(body.rejected[3]?.reason).toBe(
      `The refunded lines of receipt ${sale.receiptNumber} come to €99.00, not €1.00. Nothing was refunded.`,
    );
    expect(await refundRows()).toEqual([]);
  });

  it('rejects an unknown line, cash beyond what was paid in cash, and a card never used', async () => {
    await pushSale(sale);
    const unknownLine = refundOf(sale, [0], { lineIds: ['line-nobody-sold'] });
    const card = refundOf(sale, [0], {
      tenders: [{ method: 'card', amount: 9900, paymentIntentId: 'pi_never' }],
    });
    const body = await push([unknownLine, card]);
    expect(body.rejected[0]?.reason).toBe(
      `Receipt ${sale.receiptNumber} has no line line-nobody-sold. Nothing was refunded.`,
    );
    expect(body.rejected[1]?.reason).toContain('was not paid with the card payment pi_never');
    expect(await refundRows()).toEqual([]);
  });

  it('refuses a second refund of the same line, and a refund of a voided sale', async () => {
    await pushSale(sale);
    const first = refundOf(sale, [0]);
    expect((await push([first])).accepted).toEqual([first.id]);
    const again = refundOf(sale, [0, 1]);
    expect((await push([again])).rejected[0]?.reason).toBe(
      `Spa voucher on receipt ${sale.receiptNumber} was already refunded. Nothing was refunded twice.`,
    );
    expect(await statesOf(giftCodes())).toEqual(['known']);

    const voided = await makeSale([VOUCHERS]);
    await pushSale(voided);
    await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/voids/push`,
      headers: syncHeaders(till.token),
      payload: {
        rows: [
          {
            newDocumentState: {
              _deleted: false,
              id: 'void-1',
              storeId: voided.storeId,
              terminalId: voided.terminalId,
              saleId: voided.id,
              receiptNumber: voided.receiptNumber,
              reason: 'Wrong item',
              staffId: null,
              approvedBy: null,
              createdAt: '2026-11-26T11:01:00.000Z',
            },
            assumedMasterState: null,
          },
        ],
      },
    });
    expect((await push([refundOf(voided, [0])])).rejected[0]?.reason).toBe(
      `Receipt ${voided.receiptNumber} was voided; there is nothing left to refund.`,
    );
  });

  it('keeps the first copy of a refund and refuses a different copy under its id', async () => {
    await pushSale(sale);
    const refund = refundOf(sale, [0]);
    expect((await push([refund])).accepted).toEqual([refund.id]);
    expect((await push([refund])).accepted).toEqual([refund.id]);
    const changed = await push([{ ...refund, reason: 'Something else' }]);
    expect(changed.rejected[0]?.reason).toContain('A different copy of this refund');
    expect(await refundRows()).toHaveLength(1);
  });
});

describe('pushing refunds: what a refund does', () => {
  it('voids exactly the refunded line’s codes, with reason "refunded", and tells terminals', async () => {
    await pushSale(sale);
    const published: string[] = [];
    t.notifier.subscribe(till.storeId, () => published.push('entitlements'));
    const refund = refundOf(sale, [0]);
    expect(await push([refund])).toEqual({ accepted: [refund.id], rejected: [] });
    expect(await statesOf(voucherCodes())).toEqual(['voided', 'voided']);
    expect(await statesOf(giftCodes())).toEqual(['known']);
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['code', 'to_state', 'reason', 'actor'])
      .where('to_state', '=', 'voided')
      .orderBy('code')
      .execute();
    expect(events).toEqual(
      [...voucherCodes()].sort().map((code) => ({
        code,
        to_state: 'voided',
        reason: 'refunded',
        actor: `terminal:${till.terminalId}`,
      })),
    );
    const [row] = await refundRows();
    expect(row).toMatchObject({ amount: 9900, flag: null, taken_offline: 0 });
    expect(row?.applied_at).not.toBeNull();
    expect(published.length).toBeGreaterThan(0);
  });

  it('waits for a sale that has not arrived, then applies when it does', async () => {
    const refund = refundOf(sale, [1], { takenOffline: true });
    expect((await push([refund])).accepted).toEqual([refund.id]);
    expect((await refundRows())[0]?.applied_at).toBeNull();
    await pushSale(sale);
    expect(await statesOf(giftCodes())).toEqual(['voided']);
    expect(await statesOf(voucherCodes())).toEqual(['known', 'known']);
    expect((await refundRows())[0]?.applied_at).not.toBeNull();
  });

  it('flags an early refund the sale does not bear out, and leaves the codes alone', async () => {
    const refund = refundOf(sale, [0], {
      takenOffline: true,
      amount: 100,
      tenders: [{ method: 'cash', amount: 100 }],
    });
    expect((await push([refund])).accepted).toEqual([refund.id]);
    await pushSale(sale);
    const [row] = await refundRows();
    expect(row?.applied_at).toBeNull();
    expect(row?.flag).toMatch(/^Not applied: The refunded lines .* come to €99\.00, not €1\.00/);
    expect(await statesOf(voucherCodes())).toEqual(['known', 'known']);
  });

  it('an offline refund of a spent gift card voids what is left on it and flags the refund', async () => {
    await pushSale(sale);
    const card = giftCodes()[0]!;
    await t.db
      .insertInto('gift_card_ledger')
      .values({
        id: 'ledger-spend-1',
        code: card,
        kind: 'spend',
        amount: 1000,
        currency: 'EUR',
        reference: 'order-1',
        actor: `terminal:${till.terminalId}`,
        idempotency_key: 'spend-1',
        balance_after: 1500,
        created_at: '2026-11-26T10:03:00.000Z',
      })
      .execute();
    const refund = refundOf(sale, [1], { takenOffline: true });
    expect((await push([refund])).accepted).toEqual([refund.id]);
    expect(await statesOf([card])).toEqual(['voided']);
    expect((await refundRows())[0]?.flag).toBe(
      `Code ${formatCode(card)} was used before this refund taken offline`,
    );
  });

  it('an offline refund of a used code keeps it consumed and flags the refund for the manager', async () => {
    await pushSale(sale);
    const used = voucherCodes()[0]!;
    await t.db
      .updateTable('entitlements')
      .set({ state: 'consumed', consumed_at: '2026-11-26T10:03:00.000Z' })
      .where('code', '=', used)
      .execute();
    const refund = refundOf(sale, [0], { takenOffline: true });
    expect((await push([refund])).accepted).toEqual([refund.id]);
    expect(await statesOf(voucherCodes())).toEqual(['consumed', 'voided']);
    const flag = `Code ${formatCode(used)} was used before this refund taken offline`;
    expect((await refundRows())[0]?.flag).toBe(flag);

    const listed = await t.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/refunds/flagged`,
      headers: syncHeaders(till.token),
    });
    expect(listed.json()).toEqual([
      {
        id: refund.id,
        saleId: sale.id,
        receiptNumber: sale.receiptNumber,
        amount: 9900,
        flag,
        takenOffline: true,
        createdAt: refund.createdAt,
      },
    ]);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/refunds/flagged`,
      headers: syncHeaders('nope'),
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
