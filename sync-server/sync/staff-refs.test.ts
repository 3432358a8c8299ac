import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { refundOf, voidOf } from '../audit/facts.test-support.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { seedDemoStaff } from '../staff/demo-staff.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushFacts, saleMaker } from '../test-support/sales.ts';

let t: TestApp;
let till: EnrolResponse;
let ownStoreTill: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  await seedDemoStaff(t.db, t.clock.now);
  till = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
  ownStoreTill = await enrolTerminal(t.app, await t.pairingCode(), 'Other shop till');
});
afterEach(async () => {
  await t.close();
});

type Body = { accepted: string[]; rejected: { id: string; reason: string }[] };
const push = async (
  collection: 'sales' | 'voids' | 'refunds',
  documents: readonly unknown[],
  token = till.token,
) => (await pushFacts(t.app, token, collection, documents)).json<Body>();

describe('staff named by sales, voids and refunds', () => {
  it("refuses a sale naming someone who is not the store's staff, and keeps who sold it", async () => {
    const makeSale = saleMaker(till);
    const unknown = await makeSale(undefined, { staffId: 'staff-nobody' });
    const badApproval = { ...(await makeSale()), discountApprovedBy: 'staff-nobody' };
    const byAdmin = await makeSale(undefined, { staffId: 'staff-demo-admin', shiftId: 'shift-7' });
    const body = await push('sales', [unknown, badApproval, byAdmin]);
    expect(body.accepted).toEqual([byAdmin.id]);
    expect(body.rejected).toEqual([
      {
        id: unknown.id,
        reason: `Sale ${unknown.receiptNumber} names staff member staff-nobody as staffId, who is not staff of this store. Nothing was saved; sync the staff list and sign in again.`,
      },
      {
        id: badApproval.id,
        reason: expect.stringContaining('staff-nobody as discountApprovedBy') as string,
      },
    ]);
    const rows = await t.db.selectFrom('sales').select(['id', 'staff_id', 'shift_id']).execute();
    expect(rows).toEqual([{ id: byAdmin.id, staff_id: 'staff-demo-admin', shift_id: 'shift-7' }]);
    expect(await t.db.selectFrom('entitlements').select('code').execute()).toHaveLength(1);
  });

  it("refuses the demo store's cashier on another store's sale; an admin of every store is fine", async () => {
    const makeSale = saleMaker(ownStoreTill);
    const cashier = await makeSale(undefined, { staffId: 'staff-demo-cashier' });
    const admin = await makeSale(undefined, { staffId: 'staff-demo-admin' });
    const body = await push('sales', [cashier, admin], ownStoreTill.token);
    expect(body.accepted).toEqual([admin.id]);
    expect(body.rejected.map((r) => r.id)).toEqual([cashier.id]);
  });

  it('refuses a void or refund naming an unknown voider or approver; accepts a known one', async () => {
    const makeSale = saleMaker(till);
    const sales = [await makeSale(), await makeSale(), await makeSale()];
    expect((await push('sales', sales)).accepted).toHaveLength(3);
    const badVoid = voidOf(sales[0]!, { approvedBy: 'staff-ghost' });
    const goodVoid = voidOf(sales[1]!);
    const voids = await push('voids', [badVoid, goodVoid]);
    expect(voids.accepted).toEqual([goodVoid.id]);
    expect(voids.rejected[0]?.reason).toBe(
      `The void of ${sales[0]!.receiptNumber} names staff member staff-ghost as approvedBy, who is not staff of this store. Nothing was saved; sync the staff list and sign in again.`,
    );
    const badRefund = refundOf(sales[2]!, { staffId: 'staff-ghost' });
    const goodRefund = refundOf(sales[2]!, { approvedBy: null, staffId: null });
    const refunds = await push('refunds', [badRefund, goodRefund]);
    expect(refunds.rejected.map((r) => r.id)).toEqual([badRefund.id]);
    expect(refunds.rejected[0]?.reason).toContain(
      `The refund of ${sales[2]!.receiptNumber} names staff member staff-ghost as staffId,`,
    );
    expect(refunds.accepted).toEqual([goodRefund.id]);
    expect(await t.db.selectFrom('sale_voids').select('id').execute()).toEqual([
      { id: goodVoid.id },
    ]);
  });
});
