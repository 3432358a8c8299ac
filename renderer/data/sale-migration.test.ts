import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import { Sale } from '../../shared/schemas/sale.ts';
import type { EntitleDatabase } from './database.ts';
import { openEntitleDatabase } from './database.ts';
import { openTestDatabase } from './test-database.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
});

/** Enough of the version 1 sales schema (protocol v2) to store a sale the way those builds did. */
const SALES_V1 = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    createdAt: { type: 'string', maxLength: 40 },
    storeId: { type: 'string' },
    terminalId: { type: 'string' },
    terminalPrefix: { type: 'string' },
    receiptNumber: { type: 'string' },
    currency: { type: 'string' },
    lines: { type: 'array', items: { type: 'object' } },
    total: { type: 'integer' },
    payments: { type: 'array', items: { type: 'object' } },
    buyerEmail: { type: 'string' },
  },
  required: ['id', 'createdAt'],
  indexes: ['createdAt'],
} as const;

async function protocolV2Sale() {
  const key = new Uint8Array(32).fill(7);
  const codes = await Promise.all(
    [0, 1].map((serial) => issueCode({ prefix: 'T1T1', serial, key })),
  );
  return {
    id: 'sale-before-v3',
    storeId: 'store-1',
    terminalId: 'term-1',
    terminalPrefix: 'T1T1',
    receiptNumber: 'T1T1-000001',
    createdAt: '2026-11-26T10:00:00.000Z',
    currency: 'EUR',
    lines: [
      {
        lineId: 'sale-bef-1',
        productId: 'prod-gift-25',
        name: 'Gift card €25',
        kind: 'gift_card',
        unitPrice: 2500,
        quantity: 2,
        lineTotal: 5000,
        codes,
        gift: { recipientEmail: 'ana@example.com' },
      },
    ],
    total: 5000,
    payments: [{ method: 'cash', amount: 5000, tendered: 6000, change: 1000 }],
  };
}

describe('opening a store with sales written before protocol v3', () => {
  it('rewrites an unsynced sale in the v3 shape with the same money, which v3 accepts', async () => {
    await (await openTestDatabase()).close();
    const name = `sales-v1-${String(Date.now())}`;
    const storage = wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
    const old = await createRxDatabase({ name, storage, multiInstance: false });
    await old.addCollections({
      sales: { schema: SALES_V1, migrationStrategies: { 1: (doc: unknown) => doc } },
    });
    await old.sales!.insert(await protocolV2Sale());
    await old.close();

    db = await openEntitleDatabase({ name, storage });
    const sale = (await db.sales.findOne('sale-before-v3').exec())?.toMutableJSON();
    expect(sale).toMatchObject({
      subtotal: 5000,
      discountTotal: 0,
      taxTotal: 0,
      total: 5000,
      payments: [{ method: 'cash', amount: 5000, rounding: 0, tendered: 6000, change: 1000 }],
    });
    expect(sale?.lines[0]).toMatchObject({ discountAmount: 0, tax: null, total: 5000 });
    expect(sale?.lines[0]?.gift).toEqual({ recipientEmail: 'ana@example.com' });
    expect(Sale.safeParse(sale).success).toBe(true);
  });
});
