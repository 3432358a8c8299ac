import { describe, expect, it } from 'vitest';
import { SaleRefund } from './sale-refund.ts';
import { Sale } from './sale.ts';

const MAX = Number.MAX_SAFE_INTEGER;

const refund = {
  id: 'a710d876-7526-4604-b55c-133da706457d',
  storeId: 'demo-store',
  terminalId: 'term_58237b869b865951b7baf24092b17c67',
  saleId: '12940269-0e36-45e9-a1e0-ec61bd4b7cf3',
  receiptNumber: 'AF9R-000001',
  lineIds: ['400411f1-5497-4888-a14f-98119854f442'],
  amount: 2500,
  tenders: [{ method: 'cash', amount: 2500 }],
  reason: 'Customer returned it',
  takenOffline: false,
  staffId: null,
  approvedBy: null,
  createdAt: '2026-11-26T10:05:00.000Z',
};

// Found by fuzzing the refunds push on PostgreSQL (test/fuzz, FUZZ_SEED=555 FUZZ_RUNS=6): the
// refinements summed amounts that had failed their own checks, sumMoney threw, and the push
// answered 500. A sum too large is now an issue like any other.
describe('amounts whose sum is too large', () => {
  it('make a refund invalid instead of throwing', () => {
    expect(SaleRefund.safeParse(refund).success).toBe(true);
    for (const tenders of [
      [{ method: 'cash', amount: 6.906691615030337e112 }],
      [
        { method: 'cash', amount: MAX },
        { method: 'cash', amount: MAX },
      ],
    ]) {
      const parsed = SaleRefund.safeParse({ ...refund, tenders });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.message)).toContain(
        'The refund tenders do not add up to the amount.',
      );
    }
  });

  it('make a sale invalid instead of throwing', () => {
    const sale = {
      id: '34ba39ee-1fa5-4fab-b0f1-d86577e27894',
      storeId: 'demo-store',
      terminalId: 'term_843dea1ec58b31c79ee97a3e8b1d8dda',
      terminalPrefix: '9K2F',
      receiptNumber: '9K2F-000002',
      createdAt: '2026-11-26T10:00:00.000Z',
      currency: 'EUR',
      lines: [],
      subtotal: 0,
      discountTotal: 0,
      taxTotal: 0,
      total: 0,
      payments: [
        { method: 'cash', amount: MAX, rounding: 0, tendered: MAX, change: 0 },
        { method: 'cash', amount: MAX, rounding: 0, tendered: MAX, change: 0 },
      ],
      staffId: null,
      shiftId: null,
      discountApprovedBy: null,
    };
    expect(() => Sale.safeParse(sale)).not.toThrow();
    expect(Sale.safeParse(sale).error?.issues.map((issue) => issue.message)).toContain(
      'Payments do not add up to the total.',
    );
  });
});
