import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sale } from '../../shared/schemas/sale.ts';
import { completeCashSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from './cart.ts';

const gift = { recipientEmail: 'ana@example.com', sendOn: '2026-12-03', message: 'Enjoy!' };

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('card', 2500), testProduct('other', 500)]);
});
afterEach(async () => {
  await db.close();
});

async function cartLines() {
  return (await db.carts.findOne(OPEN_CART_ID).exec())?.toMutableJSON().lines;
}

describe('gifts in the cart', () => {
  it('refuses to store a gift the shared schema refuses', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    await expect(cart.setGift('card', { recipientEmail: 'not-an-address' })).rejects.toThrow();
    expect(await cartLines()).toEqual([{ productId: 'card', quantity: 1 }]);
  });

  it('stores the gift on its line only, and keeps it when the quantity changes', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    await cart.add('other');
    await cart.setGift('card', gift);
    await cart.add('card');
    await cart.setQuantity('card', 3);
    expect(await cartLines()).toEqual([
      { productId: 'card', quantity: 3, gift },
      { productId: 'other', quantity: 1 },
    ]);
  });

  it('removes the gift without touching the line', async () => {
    const cart = createCartCommands(db);
    await cart.add('card', 2);
    await cart.setGift('card', gift);
    await cart.removeGift('card');
    expect(await cartLines()).toEqual([{ productId: 'card', quantity: 2 }]);
  });

  it('refuses to complete a sale whose gift date passed while the cart waited', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    await cart.setGift('card', { recipientEmail: 'ana@example.com', sendOn: '2026-11-26' });
    await expect(
      completeCashSale(
        db,
        testCredentials,
        { tendered: 2500 },
        { now: () => new Date(2026, 10, 27, 9), newId: () => 'sale-late-gift' },
      ),
    ).rejects.toThrow(
      'The gift for ana@example.com was to be sent on 2026-11-26, which has passed. Change the date on the cart line.',
    );
    expect(await db.sales.count().exec()).toBe(0);
  });

  it('carries the gift into the sale line the server receives', async () => {
    const cart = createCartCommands(db);
    await cart.add('card', 2);
    await cart.add('other');
    await cart.setGift('card', gift);
    const sale = await completeCashSale(
      db,
      testCredentials,
      { tendered: 5500 },
      // A fixed day before the gift's send date, so the test does not age.
      { now: () => new Date(2026, 10, 27, 9), newId: () => 'sale-with-gift' },
    );
    expect(sale.lines.map((line) => line.gift)).toEqual([gift, undefined]);
    expect(sale.lines[0]!.codes).toHaveLength(2);
    expect(
      Sale.parse((await db.sales.findOne(sale.id).exec())!.toMutableJSON()).lines[0]!.gift,
    ).toEqual(gift);
    expect(await cartLines()).toEqual([]);
  });
});
