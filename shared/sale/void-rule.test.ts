import { describe, expect, it } from 'vitest';
import type { Sale } from '../schemas/sale.ts';
import { voidRefusal } from './void-rule.ts';

const cash: Sale['payments'][number] = {
  method: 'cash',
  amount: 2500,
  rounding: 0,
  tendered: 3000,
  change: 500,
};
const card: Sale['payments'][number] = {
  method: 'card',
  amount: 1000,
  paymentIntentId: 'pi_123',
};

describe('voidRefusal', () => {
  it('refuses a sale a card paid for (even in part): a refund gives the money back', () => {
    expect(voidRefusal({ receiptNumber: 'AB12-000001', payments: [card, cash] }, false)).toMatch(
      /^Receipt AB12-000001 was paid by card\. Use Refund instead/,
    );
  });

  it('refuses a sale with refunds: the other lines are refunded instead', () => {
    expect(voidRefusal({ receiptNumber: 'AB12-000002', payments: [cash] }, true)).toMatch(
      /partly refunded\. Refund the other lines/,
    );
  });

  it('allows a cash sale with no refunds', () => {
    expect(voidRefusal({ receiptNumber: 'AB12-000003', payments: [cash] }, false)).toBeNull();
  });
});
