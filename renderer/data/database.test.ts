import { afterEach, describe, expect, it } from 'vitest';
import type { EntitleDatabase } from './database.ts';
import { openTestDatabase } from './test-database.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
});

describe('local database', () => {
  it('opens every collection with the schemas derived from shared/', async () => {
    db = await openTestDatabase();
    expect(Object.keys(db.collections).sort()).toEqual(
      [
        'audit_events',
        'carts',
        'counters',
        'entitlements',
        'products',
        'refunds',
        'sales',
        'settings',
        'staff',
        'sync_acks',
        'voids',
      ].sort(),
    );
    await db.products.insert({
      id: 'p1',
      storeId: 's1',
      name: 'Gift card',
      description: '',
      kind: 'gift_card',
      price: 2500,
      currency: 'EUR',
      active: true,
      template: {
        kind: 'gift_card',
        initialBalance: 2500,
        currency: 'EUR',
        onboarding: [],
        validity: { kind: 'days', days: 365 },
        fulfilment: { action: 'none' },
      },
      barcode: '4006381333931',
      taxClass: null,
      updatedAt: '2026-11-26T10:00:00.000Z',
    });
    const stored = await db.products.findOne('p1').exec();
    expect(stored?.price).toBe(2500);
    expect(stored?.template).toMatchObject({ kind: 'gift_card', initialBalance: 2500 });
  });

  it('validates documents against the schema', async () => {
    db = await openTestDatabase();
    await expect(db.products.insert({ id: 'p2', price: 1.5 } as never)).rejects.toThrow();
  });
});
