import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sale } from '../../shared/schemas/sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import { CheckoutProblem, completeSale } from './complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from './test-fixtures.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('test', 8900)]);
});
afterEach(async () => {
  await db.close();
});

const card = (amount: number, id = 'pi_split1') => ({
  method: 'card' as const,
  amount,
  paymentIntentId: id,
  brand: 'visa',
  last4: '4242',
});

describe('split tender: refusals', () => {
  it('refuses too little cash for the part the card did not pay, keeping the card', async () => {
    const cart = createCartCommands(db);
    await cart.add('test');
    const saleId = await cart.saleIdForCheckout(() => 'sale-split');
    await cart.addCardPayment(saleId, card(5000));
    await expect(completeSale(db, testCredentials, { cashTendered: 3000 })).rejects.toThrow(
      /€9.00 more/,
    );
    await expect(completeSale(db, testCredentials, { cashTendered: 3000 })).rejects.toThrow(
      CheckoutProblem,
    );
    const open = await db.carts.findOne(OPEN_CART_ID).exec();
    expect(open?.cardPayments).toHaveLength(1);
    expect(await db.sales.count().exec()).toBe(0);
  });
});

describe('split tender', () => {
  it('writes one sale with the card payment and cash for the rest, under the card’s sale id', async () => {
    const cart = createCartCommands(db);
    await cart.add('test');
    const saleId = await cart.saleIdForCheckout(() => 'sale-split');
    await cart.addCardPayment(saleId, { ...card(4450), partial: true });
    const sale = await completeSale(db, testCredentials, { cashTendered: 5000 });
    expect(sale.id).toBe('sale-split');
    expect(sale.payments).toEqual([
      { ...card(4450), partial: true },
      { method: 'cash', amount: 4450, rounding: 0, tendered: 5000, change: 550 },
    ]);
    expect(Sale.safeParse(sale).success).toBe(true);
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
  });

  it('completes with cards alone when they paid everything', async () => {
    const cart = createCartCommands(db);
    await cart.add('test');
    const saleId = await cart.saleIdForCheckout(() => 'sale-cards');
    await cart.addCardPayment(saleId, card(4000, 'pi_a'));
    await cart.addCardPayment(saleId, card(4900, 'pi_b'));
    const sale = await completeSale(db, testCredentials, {});
    expect(sale.payments.map((payment) => payment.method)).toEqual(['card', 'card']);
  });
});
