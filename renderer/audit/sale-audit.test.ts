import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { completeCashSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import { reconcileSaleAudit, recordSaleAudit } from './sale-audit.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('voucher', 2500)]);
});
afterEach(async () => {
  await db.close();
});

async function sell(): Promise<Sale> {
  const cart = createCartCommands(db);
  await cart.add('voucher');
  return completeCashSale(db, testCredentials, { tendered: 2500 });
}

async function chain() {
  const docs = await db.audit_events.find({ sort: [{ seq: 'asc' }] }).exec();
  return docs.map((doc) => doc.toMutableJSON());
}

describe('audit events of sales', () => {
  it('records a sale with its receipt number and total, and a discount with who approved it', async () => {
    const sale = await sell();
    await recordSaleAudit(db, testCredentials, {
      ...sale,
      discountTotal: 500,
      discountApprovedBy: 'staff-manager',
    });
    const events = await chain();
    expect(events.map((event) => [event.kind, event.subjectId])).toEqual([
      ['sale', sale.id],
      ['discount', sale.id],
    ]);
    expect(events[0]?.detail).toEqual({ receiptNumber: sale.receiptNumber, total: 2500 });
    expect(events[1]?.detail).toEqual({ amount: 500, approvedBy: 'staff-manager' });
  });

  it('on start, gives a sale written just before a crash its event, marked recorded late', async () => {
    const audited = await sell();
    await recordSaleAudit(db, testCredentials, audited);
    const crashed = await sell(); // the till died before its audit event was written

    expect(await reconcileSaleAudit(db, testCredentials)).toEqual([crashed.id]);
    const events = await chain();
    expect(events.map((event) => event.subjectId)).toEqual([audited.id, crashed.id]);
    expect(events[1]?.detail).toEqual({
      receiptNumber: crashed.receiptNumber,
      total: 2500,
      recordedLate: true,
    });
    expect((await verifyAuditChain(events)).ok).toBe(true);

    // A second start finds nothing to repair and adds nothing.
    expect(await reconcileSaleAudit(db, testCredentials)).toEqual([]);
    expect(await db.audit_events.count().exec()).toBe(2);
  });

  it('leaves alone sales of other terminals that reached this one', async () => {
    const sale = await sell();
    await db.sales.upsert({ ...sale, terminalId: 'term-2' });
    expect(await reconcileSaleAudit(db, testCredentials)).toEqual([]);
    expect(await db.audit_events.count().exec()).toBe(0);
  });
});
