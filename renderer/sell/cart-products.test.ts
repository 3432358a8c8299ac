import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedProducts, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from './cart.ts';
import { openCartWithProducts$ } from './queries.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [
    testProduct('card', 2500),
    testProduct('ticket', 4500),
    testProduct('other', 500),
  ]);
});
afterEach(async () => {
  await db.close();
});

function productIdsWhen(lines: number) {
  return firstValueFrom(
    openCartWithProducts$(db).pipe(filter(({ cart }) => (cart?.lines.length ?? 0) === lines)),
  ).then(({ products }) => products.map((product) => product.id).sort());
}

describe('the open cart with its products', () => {
  it('has no products for an empty cart', async () => {
    expect(await productIdsWhen(0)).toEqual([]);
  });

  it('watches only the products its lines name, not the whole catalogue', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    await cart.add('ticket');
    await cart.add('card');
    expect(await productIdsWhen(2)).toEqual(['card', 'ticket']);
  });

  it('follows a product the server changes, and leaves out one made inactive', async () => {
    const cart = createCartCommands(db);
    await cart.add('card');
    await cart.add('ticket');
    await db.products.upsert({ ...testProduct('card', 3000) });
    await db.products.upsert({ ...testProduct('ticket', 4500), active: false });
    const { products } = await firstValueFrom(
      openCartWithProducts$(db).pipe(
        filter(({ products: shown }) => shown.length === 1 && shown[0]?.price === 3000),
      ),
    );
    expect(products.map((product) => product.id)).toEqual(['card']);
  });
});
