import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntitleDatabase } from './database.ts';
import { openEntitleDatabase } from './database.ts';
import { OPEN_CART_ID } from './local-schemas.ts';
import { openTestDatabase } from './test-database.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
});

/** The carts schema as builds before gifts wrote it (version 0). */
const CART_V0 = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    lines: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        properties: {
          productId: { type: 'string' },
          quantity: { type: 'integer', minimum: 1, maximum: 500 },
        },
        required: ['productId', 'quantity'],
        additionalProperties: false,
      },
    },
    pendingSaleId: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'lines', 'updatedAt'],
} as const;

describe('opening a store written before gifts', () => {
  it('keeps the open cart of a version 0 store, with no gift on its lines', async () => {
    // Registers RxDB's dev-mode checks once, as every other renderer test does.
    await (await openTestDatabase()).close();
    const name = `cart-v0-${String(Date.now())}`;
    const storage = wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
    const old = await createRxDatabase({ name, storage, multiInstance: false });
    await old.addCollections({ carts: { schema: CART_V0 } });
    const lines = [{ productId: 'prod-gift-25', quantity: 2 }];
    await old.carts!.insert({ id: OPEN_CART_ID, lines, updatedAt: '2026-11-26T10:00:00.000Z' });
    await old.close();

    db = await openEntitleDatabase({ name, storage });
    const cart = await db.carts.findOne(OPEN_CART_ID).exec();
    expect(cart?.toMutableJSON().lines).toEqual(lines);
    await cart!.incrementalPatch({
      lines: [{ ...lines[0]!, gift: { recipientEmail: 'ana@example.com' } }],
    });
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines[0]?.gift).toEqual({
      recipientEmail: 'ana@example.com',
    });
  });
});
