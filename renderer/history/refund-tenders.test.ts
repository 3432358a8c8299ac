import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Payment } from '../../shared/schemas/sale.ts';
import { describeRefundTenders, planRefundTenders } from './refund-tenders.ts';

const visa: Payment = {
  method: 'card',
  amount: 2000,
  paymentIntentId: 'pi_visa',
  brand: 'visa',
  last4: '4242',
};
const amex: Payment = { method: 'card', amount: 500, paymentIntentId: 'pi_amex' };
const cash: Payment = { method: 'cash', amount: 700, rounding: 0, tendered: 1000, change: 300 };

describe('splitting a refund over the original tenders', () => {
  it('a cash-only sale is refunded in cash', () => {
    expect(planRefundTenders({ payments: [cash] }, [], 700)).toEqual([
      { method: 'cash', amount: 700 },
    ]);
  });

  it('card first, in the order taken, up to what each card paid; cash for the rest', () => {
    const sale = { payments: [visa, amex, cash] };
    expect(planRefundTenders(sale, [], 1500)).toEqual([
      { method: 'card', amount: 1500, paymentIntentId: 'pi_visa' },
    ]);
    expect(planRefundTenders(sale, [], 3000)).toEqual([
      { method: 'card', amount: 2000, paymentIntentId: 'pi_visa' },
      { method: 'card', amount: 500, paymentIntentId: 'pi_amex' },
      { method: 'cash', amount: 500 },
    ]);
  });

  it('minus what earlier refunds already returned to each card', () => {
    const earlier = [
      { tenders: [{ method: 'card' as const, amount: 1800, paymentIntentId: 'pi_visa' }] },
    ];
    expect(planRefundTenders({ payments: [visa, cash] }, earlier, 900)).toEqual([
      { method: 'card', amount: 200, paymentIntentId: 'pi_visa' },
      { method: 'cash', amount: 700 },
    ]);
  });

  it('reads as the cashier says it', () => {
    const sale = { payments: [visa, cash], currency: 'EUR' };
    expect(
      describeRefundTenders(sale, [
        { method: 'card', amount: 2000, paymentIntentId: 'pi_visa' },
        { method: 'cash', amount: 500 },
      ]),
    ).toBe('€20.00 to Visa •••• 4242, €5.00 cash from the drawer');
  });

  it('always adds up, never gives a card more than it paid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 40_000 }),
        (cards, cashPaid, refundedBefore, amount) => {
          const payments: Payment[] = [
            ...cards.map((paid, index) => ({
              method: 'card' as const,
              amount: paid,
              paymentIntentId: `pi_${String(index)}`,
            })),
            { method: 'cash', amount: cashPaid, rounding: 0, tendered: cashPaid, change: 0 },
          ];
          const earlier = [
            {
              tenders: refundedBefore.flatMap((back, index) =>
                back > 0 && index < cards.length
                  ? [
                      {
                        method: 'card' as const,
                        amount: Math.min(back, cards[index] ?? 0),
                        paymentIntentId: `pi_${String(index)}`,
                      },
                    ]
                  : [],
              ),
            },
          ];
          const tenders = planRefundTenders({ payments }, earlier, amount);
          expect(tenders.reduce((sum, tender) => sum + tender.amount, 0)).toBe(amount);
          for (const tender of tenders) {
            expect(tender.amount).toBeGreaterThan(0);
            if (tender.method !== 'card') continue;
            const index = Number(tender.paymentIntentId.slice(3));
            const before = earlier[0]!.tenders.find(
              (one) => one.paymentIntentId === tender.paymentIntentId,
            );
            expect(tender.amount + (before?.amount ?? 0)).toBeLessThanOrEqual(cards[index]!);
          }
        },
      ),
      { seed: 20261127, numRuns: 300 },
    );
  });
});
