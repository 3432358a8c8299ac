import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import { discountApproval, rememberDiscountApproval } from '../approval/discount-approval.ts';
import { reconcileSaleAudit } from '../audit/sale-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import { isSettling, saleSettled, settleSale } from './after-sale.ts';
import { writeSale } from './complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from './test-fixtures.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('gift', 2500)]);
});
afterEach(async () => {
  await db.close();
});

describe('after the receipt shows', () => {
  it('empties the cart, forgets the approval and writes the audit event, not marked late', async () => {
    await createCartCommands(db).add('gift');
    await rememberDiscountApproval(db, 'staff-manager');
    const written = await writeSale(db, testCredentials, { cashTendered: 2500 });
    expect(await db.audit_events.count().exec()).toBe(0);

    const settled = settleSale(db, testCredentials, written);
    // Until the cart is emptied, the cart on screen is the sold one: the till shows it empty.
    expect(isSettling(written.sale.id)).toBe(true);
    await saleSettled(written.sale.id);
    await settled;
    expect(isSettling(written.sale.id)).toBe(false);

    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
    expect(await discountApproval(db)).toBeNull();
    const events = (await db.audit_events.find({ sort: [{ seq: 'asc' }] }).exec()).map((doc) =>
      doc.toMutableJSON(),
    );
    expect(events.map((event) => [event.kind, event.subjectId, event.detail])).toEqual([
      ['sale', written.sale.id, { receiptNumber: written.sale.receiptNumber, total: 2500 }],
    ]);
    expect((await verifyAuditChain(events)).ok).toBe(true);
    // The next start has nothing to repair.
    expect(await reconcileSaleAudit(db, testCredentials)).toEqual([]);
  });

  it('is not waited for when nothing is pending', async () => {
    expect(isSettling(undefined)).toBe(false);
    await expect(saleSettled('no-such-sale')).resolves.toBeUndefined();
  });
});
