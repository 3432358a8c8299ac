import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { completeCashSale, completeSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import { pendingCount$, voidOfSale$, voidsSince$ } from './queries.ts';
import { VoidProblem, voidIdOf, voidSale } from './void-sale.ts';

const at = () => new Date('2026-11-27T10:00:00.000Z');

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('card', 2500)]);
});
afterEach(async () => {
  await db.close();
});

async function sell(): Promise<Sale> {
  await createCartCommands(db).add('card');
  return completeCashSale(db, testCredentials, { tendered: 2500 });
}

describe('voiding a sale at the counter', () => {
  it('refuses a sale that is not on this terminal', async () => {
    await expect(
      voidSale(db, testCredentials, { saleId: 'elsewhere', reason: 'Wrong item' }),
    ).rejects.toThrow(/not on this terminal/);
    expect(await db.voids.count().exec()).toBe(0);
  });

  it('refuses a sale a card paid for: a refund gives the money back, a void would not', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    const saleId = await cart.saleIdForCheckout(() => '0f5a3c52-5b7e-4bd4-9d7e-3f8b2f1c9a77');
    await cart.addCardPayment(saleId, { method: 'card', amount: 2500, paymentIntentId: 'pi_1' });
    const sale = await completeSale(db, testCredentials, {});
    await expect(
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'Wrong item' }),
    ).rejects.toThrow(/was paid by card\. Use Refund instead/);
    expect(await db.voids.count().exec()).toBe(0);
  });

  it('refuses an empty or overlong reason, saying what to do', async () => {
    const sale = await sell();
    await expect(voidSale(db, testCredentials, { saleId: sale.id, reason: '   ' })).rejects.toThrow(
      /Say why/,
    );
    await expect(
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'x'.repeat(301) }),
    ).rejects.toThrow(/300 characters \(it has 301\)/);
    expect(await db.voids.count().exec()).toBe(0);
  });

  it('writes one SaleVoid with the receipt number and the reason', async () => {
    const sale = await sell();
    const written = await voidSale(
      db,
      testCredentials,
      { saleId: sale.id, reason: ' Customer changed their mind ' },
      at,
    );
    expect(written).toEqual({
      id: voidIdOf(sale.id),
      storeId: testCredentials.storeId,
      terminalId: testCredentials.terminalId,
      saleId: sale.id,
      receiptNumber: sale.receiptNumber,
      reason: 'Customer changed their mind',
      staffId: null,
      approvedBy: null,
      createdAt: '2026-11-27T10:00:00.000Z',
    });
    expect(SaleVoid.safeParse(written).success).toBe(true);
    expect((await db.voids.find().exec()).map((doc) => doc.toMutableJSON())).toEqual([written]);
  });

  it('is impossible twice, even when two confirmations race', async () => {
    const sale = await sell();
    const results = await Promise.allSettled([
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'First' }),
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'Second' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toBeInstanceOf(VoidProblem);
    await expect(
      voidSale(db, testCredentials, { saleId: sale.id, reason: 'Third' }),
    ).rejects.toThrow(`Receipt ${sale.receiptNumber} is already voided.`);
    expect(await db.voids.count().exec()).toBe(1);
  });
});

describe('void queries', () => {
  it('finds the voids written in a period by sale, and the void of one sale', async () => {
    const kept = await sell();
    const voided = await sell();
    const earlier = await sell();
    await voidSale(db, testCredentials, { saleId: earlier.id, reason: 'Last week' }, () => {
      return new Date('2026-11-20T10:00:00.000Z');
    });
    await voidSale(db, testCredentials, { saleId: voided.id, reason: 'Wrong card' }, at);
    const today = await firstValueFrom(voidsSince$(db, new Date('2026-11-27T00:00:00.000Z')));
    expect([...today.keys()]).toEqual([voided.id]);
    expect(today.get(voided.id)?.reason).toBe('Wrong card');
    const week = await firstValueFrom(voidsSince$(db, new Date('2026-11-20T00:00:00.000Z')));
    expect([...week.keys()]).toEqual([earlier.id, voided.id]);
    expect(await firstValueFrom(voidOfSale$(db, kept.id))).toBeNull();
    expect((await firstValueFrom(voidOfSale$(db, voided.id)))?.receiptNumber).toBe(
      voided.receiptNumber,
    );
  });

  it('counts a void as waiting to sync until the server acknowledges it', async () => {
    const sale = await sell();
    await db.sync_acks.insert({ id: sale.id, outcome: 'accepted', at: at().toISOString() });
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
    const written = await voidSale(db, testCredentials, { saleId: sale.id, reason: 'Wrong' });
    expect(await firstValueFrom(pendingCount$(db))).toBe(1);
    await db.sync_acks.insert({
      id: written.id,
      outcome: 'rejected',
      reason: 'Not your sale',
      at: at().toISOString(),
    });
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
  });
});
