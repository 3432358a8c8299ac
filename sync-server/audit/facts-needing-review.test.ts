import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { systemRandomBytes } from '../deps.ts';
import { seedDemoStaff } from '../staff/demo-staff.ts';
import { updateStaff } from '../staff/staff.ts';
import { updateStoreSettings } from '../staff/store-settings.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushFacts, saleMaker } from '../test-support/sales.ts';
import { factsNeedingReview } from './facts-needing-review.ts';
import { refundOf, voidOf } from './facts.test-support.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  await seedDemoStaff(t.db, t.clock.now);
  till = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
});
afterEach(async () => {
  await t.close();
});

const VOUCHER = {
  productId: 'prod-voucher',
  name: 'Voucher',
  kind: 'voucher' as const,
  unitPrice: 10_000,
  quantity: 1,
};

/** A sale of 100.00 with `off` minor units taken off its one line, as the counter prices it. */
function discounted(sale: Sale, off: number, approvedBy: string | null): Sale {
  const [line] = sale.lines;
  if (!line) throw new Error('A sale has lines.');
  const total = line.lineTotal - off;
  return {
    ...sale,
    lines: [{ ...line, discount: { kind: 'amount', amount: off }, discountAmount: off, total }],
    discountTotal: off,
    total,
    payments: [{ method: 'cash', amount: total, rounding: 0, tendered: total, change: 0 }],
    discountApprovedBy: approvedBy,
  };
}

async function pushAll(collection: 'sales' | 'voids' | 'refunds', documents: readonly unknown[]) {
  const body = (await pushFacts(t.app, till.token, collection, documents)).json<{
    rejected: unknown[];
  }>();
  expect(body.rejected).toEqual([]);
}

describe('factsNeedingReview', () => {
  it('lists voids, refunds and large discounts without a standing manager approval', async () => {
    const makeSale = saleMaker(till);
    const staff = { staffId: 'staff-demo-cashier' };
    const plain = [await makeSale([VOUCHER], staff), await makeSale([VOUCHER], staff)];
    const smallDiscount = discounted(await makeSale([VOUCHER], staff), 500, null); // 5 %
    const bigApproved = discounted(await makeSale([VOUCHER], staff), 3_000, 'staff-demo-manager');
    const bigUnapproved = discounted(await makeSale([VOUCHER], staff), 2_000, null);
    const bigByCashier = discounted(await makeSale([VOUCHER], staff), 2_500, 'staff-demo-cashier');
    await pushAll('sales', [...plain, smallDiscount, bigApproved, bigUnapproved, bigByCashier]);
    const approvedVoid = voidOf(plain[0]!);
    const unapprovedRefund = refundOf(plain[1]!, { approvedBy: null });
    await pushAll('voids', [approvedVoid]);
    await pushAll('refunds', [unapprovedRefund]);

    const review = await factsNeedingReview(t.db, DEMO_STORE.id, t.clock.now);
    expect(review.map((f) => [f.kind, f.id, f.reason])).toEqual([
      ['refund', unapprovedRefund.id, 'No manager approved this refund.'],
      // Same device time: the one that reached the server last comes first.
      [
        'discount',
        bigByCashier.id,
        'Approved by staff-demo-cashier, who is a cashier now, not a manager.',
      ],
      ['discount', bigUnapproved.id, 'No manager approved this discount.'],
    ]);
    expect(review[0]).toMatchObject({
      saleId: plain[1]!.id,
      receiptNumber: plain[1]!.receiptNumber,
      terminalId: till.terminalId,
      staffId: 'staff-demo-cashier',
      approvedBy: null,
    });

    // Roles are judged as they are today: a manager demoted makes their approvals questionable.
    await updateStaff(
      t.db,
      'staff-demo-manager',
      { role: 'cashier' },
      { clock: t.clock.now, randomBytes: systemRandomBytes },
    );
    const afterDemotion = await factsNeedingReview(t.db, DEMO_STORE.id, t.clock.now);
    expect(afterDemotion.map((f) => f.id)).toEqual(
      expect.arrayContaining([approvedVoid.id, bigApproved.id]),
    );
    expect(afterDemotion).toHaveLength(5);

    // A higher limit makes the 20 % discount fine without approval; nothing of another store shows.
    await updateStoreSettings(
      t.db,
      DEMO_STORE.id,
      { discountApprovalMilliPercent: 20_000 },
      t.clock.now,
    );
    const higher = await factsNeedingReview(t.db, DEMO_STORE.id, t.clock.now);
    expect(higher.map((f) => f.id)).not.toContain(bigUnapproved.id);
    expect(higher.map((f) => f.id)).toContain(bigByCashier.id);
    expect(await factsNeedingReview(t.db, t.store.id, t.clock.now)).toEqual([]);
  });
});
