import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceOf, issueLedger, refund, spend } from './gift-ledger.ts';

const seed = 20261126;

const operation = fc.oneof(
  fc.record({ kind: fc.constant('spend' as const), amount: fc.integer({ min: -50, max: 6000 }) }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: -50, max: 6000 }) }),
  fc.record({ kind: fc.constant('spend' as const), amount: fc.double({ min: 0.01, max: 100 }) }),
);

describe('gift-card ledger', () => {
  it('refuses amounts that are not positive whole numbers, or more than the balance', () => {
    const ledger = issueLedger(5000);
    expect(spend(ledger, 0).ok).toBe(false);
    expect(spend(ledger, -1).ok).toBe(false);
    expect(spend(ledger, 12.5).ok).toBe(false);
    expect(spend(ledger, Number.NaN).ok).toBe(false);
    expect(spend(ledger, 5001)).toEqual({
      ok: false,
      reason: 'The card holds 5000; 5001 is more than that.',
    });
    expect(refund(ledger, 1).ok).toBe(false);
  });

  it('spends down to exactly zero and refunds back', () => {
    const spent = spend(issueLedger(5000), 5000);
    expect(spent.ok && balanceOf(spent.ledger)).toBe(0);
    if (!spent.ok) return;
    const refunded = refund(spent.ledger, 1200);
    expect(refunded.ok && balanceOf(refunded.ledger)).toBe(1200);
  });

  it('never goes negative and always equals initial − spends + refunds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(operation, { maxLength: 40 }),
        (initial, operations) => {
          let ledger = issueLedger(initial);
          let spent = 0;
          let refunded = 0;
          for (const op of operations) {
            const result =
              op.kind === 'spend' ? spend(ledger, op.amount) : refund(ledger, op.amount);
            if (result.ok) {
              ledger = result.ledger;
              if (op.kind === 'spend') spent += op.amount;
              else refunded += op.amount;
            } else {
              expect(result.reason.length).toBeGreaterThan(0);
            }
            const balance = balanceOf(ledger);
            expect(balance).toBeGreaterThanOrEqual(0);
            expect(balance).toBeLessThanOrEqual(initial);
            expect(balance).toBe(initial - spent + refunded);
            expect(Number.isSafeInteger(balance)).toBe(true);
          }
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});
