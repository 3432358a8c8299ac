import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/audit-event.ts';
import type { Sale } from '../schemas/sale.ts';
import type { SaleRefund } from '../schemas/sale-refund.ts';
import type { SaleVoid } from '../schemas/sale-void.ts';
import {
  SHIFT,
  card,
  cash,
  eventAt,
  refundOf,
  saleOf,
  voidOf,
} from './shift-fixtures.test-support.ts';
import {
  ShiftNotFound,
  buildShiftReport,
  factsOfShift,
  formatVariance,
  shiftBounds,
  shiftCloseDetail,
  varianceOutcome,
} from './shift-report.ts';

const NOW = '2026-11-27T12:00:00.000Z';
const open = (float = 10000) => eventAt(1, 'shift_open', { float, currency: 'EUR' });

function report(
  facts: {
    events?: AuditEvent[];
    sales?: Sale[];
    voids?: SaleVoid[];
    refunds?: SaleRefund[];
  },
  kind: 'X' | 'Z' = 'X',
) {
  return buildShiftReport({
    shiftId: SHIFT,
    kind,
    now: NOW,
    events: facts.events ?? [open()],
    sales: facts.sales ?? [],
    voids: facts.voids ?? [],
    refunds: facts.refunds ?? [],
  });
}

describe('buildShiftReport', () => {
  it('refuses a shift that was never opened, and an empty shift expects exactly its float', () => {
    expect(() => report({ events: [] })).toThrow(ShiftNotFound);
    const empty = report({});
    expect(empty.expectedCash).toBe(10000);
    expect(empty.sales).toEqual({ count: 0, total: 0, firstReceipt: null, lastReceipt: null });
    expect(empty.currency).toBe('EUR');
    expect(empty.openedBy).toBe('staff-alex');
    expect(empty.close).toBeNull();
  });

  it('totals tenders: cash counts what the drawer kept (tendered − change, rounding included)', () => {
    const sales = [
      saleOf(1, { total: 1250, payments: [cash(1250, 2000)] }),
      saleOf(2, { total: 998, payments: [cash(998, 1000, 2)] }),
      saleOf(3, { total: 4000, payments: [card(4000)] }),
      saleOf(4, { total: 3000, payments: [card(1000), cash(2000, 5000)] }),
    ];
    const result = report({ sales });
    expect(result.tenders).toEqual({ cash: 1250 + 998 + 2000, card: 5000 });
    expect(result.cashRounding).toBe(2);
    // 100.00 float + 12.50 + 10.00 (9.98 rounded up) + 20.00
    expect(result.expectedCash).toBe(10000 + 1250 + 1000 + 2000);
    expect(result.sales.total).toBe(1250 + 998 + 4000 + 3000);
  });

  it('takes only the shift’s sales and orders receipts by number, not by text or clock', () => {
    const sales = [
      saleOf(1000000, { at: '2026-11-27T09:10:00.000Z' }),
      saleOf(999999, { at: '2026-11-27T09:20:00.000Z' }),
      saleOf(5, { shiftId: 'shift-0' }),
      saleOf(6, { shiftId: null }),
    ];
    const result = report({ sales });
    expect(result.sales.count).toBe(2);
    expect(result.sales.firstReceipt).toBe('AB12-999999');
    expect(result.sales.lastReceipt).toBe('AB12-1000000');
  });

  it('pays cash back for a voided cash sale and for cash refunds; a card refund leaves the drawer alone', () => {
    const earlier = saleOf(1, { total: 500, shiftId: 'shift-0', payments: [cash(500, 500)] });
    const voided = saleOf(2, { total: 1500, payments: [cash(1500, 2000)] });
    const refunded = saleOf(3, { total: 800 });
    const carded = saleOf(4, { total: 700, payments: [card(700)] });
    const at = '2026-11-27T10:00:00.000Z';
    const result = report({
      sales: [earlier, voided, refunded, carded],
      voids: [voidOf(voided, at), voidOf(earlier, at)],
      refunds: [
        refundOf(refunded, at, [{ method: 'cash', amount: 800 }]),
        refundOf(carded, at, [{ method: 'card', amount: 700, paymentIntentId: 'pi_700' }]),
      ],
    });
    expect(result.voids).toEqual({ count: 2, amount: 2000, cash: 2000 });
    expect(result.refunds).toEqual({ count: 2, amount: 1500, cash: 800, card: 700 });
    // Sold in this shift: 1500 + 800 cash, 700 card. Handed back: 1500 + 500 + 800.
    expect(result.expectedCash).toBe(10000 + 2300 - 2000 - 800);
    expect(result.netTotal).toBe(3000 - 2000 - 1500);
  });

  it('adds cash in, takes cash out, and counts drawer opens of this shift only', () => {
    const events = [
      open(5000),
      eventAt(2, 'cash_in', { amount: 2000, reason: 'Change from the bank' }),
      eventAt(3, 'cash_out', { amount: 1500, reason: 'Window cleaner' }),
      eventAt(4, 'cash_out', { amount: 999, reason: 'Other shift' }, { subjectId: 'shift-0' }),
      eventAt(5, 'drawer_open', { reason: 'Check a note', approvedBy: 'staff-morgan' }),
    ];
    const result = report({ events });
    expect(result.cashIn).toBe(2000);
    expect(result.cashOut).toBe(1500);
    expect(result.drawerOpens).toBe(1);
    expect(result.cashMoves.map((move) => move.reason)).toEqual([
      'Change from the bank',
      'Window cleaner',
    ]);
    expect(result.expectedCash).toBe(5000 + 2000 - 1500);
  });

  it('breaks sales down by product, staff, discount and entitlement kind', () => {
    const sales = [
      saleOf(1, { total: 3000, quantity: 2, productId: 'prod-gift', kind: 'gift_card' }),
      saleOf(2, { total: 900, discountTotal: 100 }),
      saleOf(3, { total: 1000, staffId: 'staff-morgan' }),
    ];
    const result = report({ sales });
    expect(result.byProduct).toEqual([
      { productId: 'prod-gift', name: 'prod-gift', quantity: 2, total: 3000 },
      { productId: 'prod-voucher', name: 'Spa voucher', quantity: 2, total: 1900 },
    ]);
    expect(result.byStaff).toEqual([
      { staffId: 'staff-alex', count: 2, total: 3900 },
      { staffId: 'staff-morgan', count: 1, total: 1000 },
    ]);
    expect(result.discounts).toEqual({ count: 1, amount: 100 });
    expect(result.entitlements).toEqual([
      { kind: 'gift_card', count: 2 },
      { kind: 'voucher', count: 2 },
    ]);
  });

  it('for a Z-report, carries the count and variance recorded at the close', () => {
    const base = report({ sales: [saleOf(1, { total: 2000 })] });
    const counts = new Map([
      [5000, 2],
      [1000, 1],
      [200, 4],
      [50, 1],
    ]);
    const detail = shiftCloseDetail(base, counts);
    expect(detail).toEqual({
      counts: '5000x2,1000x1,200x4,50x1',
      countedCash: 11850,
      expectedCash: 12000,
      variance: -150,
      salesCount: 1,
      salesTotal: 2000,
      firstReceipt: 'AB12-000001',
      lastReceipt: 'AB12-000001',
    });
    const closed = report(
      {
        events: [open(), eventAt(2, 'shift_close', detail, { staffId: 'staff-morgan' })],
        sales: [saleOf(1, { total: 2000 })],
      },
      'Z',
    );
    expect(closed.close).toEqual({
      counts: '5000x2,1000x1,200x4,50x1',
      countedCash: 11850,
      expectedCash: 12000,
      variance: -150,
    });
    expect(closed.closedBy).toBe('staff-morgan');
    expect(closed.closedAt).toBe('2026-11-27T09:02:00.000Z');
    expect(formatVariance(closed.close?.variance ?? 0, 'EUR')).toBe('−€1.50');
  });

  it('records a negative expectation as zero: the whole count is then the variance', () => {
    const base = report({
      events: [open(0), eventAt(2, 'cash_out', { amount: 500, reason: 'x' })],
    });
    expect(base.expectedCash).toBe(-500);
    expect(shiftCloseDetail(base, new Map()).expectedCash).toBe(0);
    expect(shiftCloseDetail(base, new Map([[100, 3]])).variance).toBe(300);
  });
});

describe('factsOfShift', () => {
  const sale = saleOf(1);
  const bounds = () => {
    const events = [
      eventAt(1, 'shift_close', closeStub(), { subjectId: 'shift-0' }),
      eventAt(2, 'shift_open', { float: 0, currency: 'EUR' }),
      eventAt(9, 'shift_close', closeStub()),
    ];
    return { events, bounds: shiftBounds(events, SHIFT) };
  };

  it('places a fact by its audit event’s seq when there is one, whatever the device clock said', () => {
    const { events, bounds: b } = bounds();
    const skewed = voidOf(sale, '2020-01-01T00:00:00.000Z');
    const late = voidOf(sale, '2026-11-27T09:05:00.000Z', 'void-late');
    const withEvents = [
      ...events,
      eventAt(5, 'void', { saleId: sale.id }, { subjectId: skewed.id }),
      eventAt(12, 'void', { saleId: sale.id }, { subjectId: late.id }),
    ];
    expect(factsOfShift([skewed, late], withEvents, b, NOW).map((fact) => fact.id)).toEqual([
      skewed.id,
    ]);
  });

  it('falls back to the clock window between open and close without an audit event', () => {
    const { events, bounds: b } = bounds();
    const inside = voidOf(sale, '2026-11-27T09:05:00.000Z', 'in');
    const before = voidOf(sale, '2026-11-27T09:01:00.000Z', 'before');
    const after = voidOf(sale, '2026-11-27T09:10:00.000Z', 'after');
    const elsewhere = { ...inside, id: 'elsewhere', terminalId: 'term-2' };
    expect(
      factsOfShift([inside, before, after, elsewhere], events, b, NOW).map((fact) => fact.id),
    ).toEqual(['in']);
  });
});

function closeStub() {
  return {
    counts: '',
    countedCash: 0,
    expectedCash: 0,
    variance: 0,
    salesCount: 0,
    salesTotal: 0,
    firstReceipt: null,
    lastReceipt: null,
  };
}

describe('formatting the variance', () => {
  it('signs it the way a manager reads it', () => {
    expect(formatVariance(-150, 'EUR')).toBe('−€1.50');
    expect(formatVariance(200, 'EUR')).toBe('+€2.00');
    expect(formatVariance(0, 'EUR')).toBe('€0.00');
    expect([varianceOutcome(-1), varianceOutcome(1), varianceOutcome(0)]).toEqual([
      'short',
      'over',
      'exact',
    ]);
  });
});

/**
 * The expected-cash identity, checked against a drawer simulated step by step: every cash
 * movement the facts describe is applied to a running balance in the order it happened, and the
 * report (which sums by category) must land on the same figure. Card money, other shifts' sales
 * and the order the facts are given in must not change it.
 */
describe('expected cash (property)', () => {
  type Step =
    | { op: 'cashSale'; total: number; extra: number; rounding: number }
    | { op: 'cardSale'; total: number }
    | { op: 'splitSale'; cardPart: number; cashPart: number }
    | { op: 'voidLast' }
    | { op: 'refundCash'; amount: number }
    | { op: 'cashIn' | 'cashOut'; amount: number }
    | { op: 'otherShiftSale'; total: number };

  const amount = fc.integer({ min: 1, max: 50_000 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      op: fc.constant('cashSale' as const),
      total: amount,
      extra: fc.integer({ min: 0, max: 5000 }),
      rounding: fc.integer({ min: -2, max: 2 }),
    }),
    fc.record({ op: fc.constant('cardSale' as const), total: amount }),
    fc.record({ op: fc.constant('splitSale' as const), cardPart: amount, cashPart: amount }),
    fc.record({ op: fc.constant('voidLast' as const) }),
    fc.record({ op: fc.constant('refundCash' as const), amount }),
    fc.record({ op: fc.constantFrom('cashIn' as const, 'cashOut' as const), amount }),
    fc.record({ op: fc.constant('otherShiftSale' as const), total: amount }),
  );

  it('equals a step-by-step drawer, in any input order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(step, { maxLength: 40 }),
        fc.integer(),
        (float, steps, shuffleSeed) => {
          let drawer = float;
          let seq = 1;
          const events: AuditEvent[] = [eventAt(1, 'shift_open', { float, currency: 'EUR' })];
          const sales: Sale[] = [];
          const voids: SaleVoid[] = [];
          const refunds: SaleRefund[] = [];
          let lastCashSale: Sale | null = null;
          steps.forEach((s, index) => {
            const n = index + 1;
            const at = `2026-11-27T10:${String(Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.000Z`;
            seq += 1;
            switch (s.op) {
              case 'cashSale': {
                const rounding = Math.max(s.rounding, -s.total);
                const sale = saleOf(n, {
                  total: s.total,
                  payments: [cash(s.total, s.total + rounding + s.extra, rounding)],
                  at,
                });
                sales.push(sale);
                lastCashSale = sale;
                drawer += s.total + rounding;
                break;
              }
              case 'cardSale':
                sales.push(saleOf(n, { total: s.total, payments: [card(s.total)], at }));
                break;
              case 'splitSale':
                sales.push(
                  saleOf(n, {
                    total: s.cardPart + s.cashPart,
                    payments: [card(s.cardPart), cash(s.cashPart, s.cashPart + 100)],
                    at,
                  }),
                );
                drawer += s.cashPart;
                break;
              case 'voidLast':
                if (lastCashSale !== null) {
                  const fact = voidOf(lastCashSale, at, `void-${String(n)}`);
                  voids.push(fact);
                  events.push(eventAt(seq, 'void', {}, { subjectId: fact.id, at }));
                  for (const p of lastCashSale.payments)
                    if (p.method === 'cash') drawer -= p.amount + p.rounding;
                  lastCashSale = null;
                }
                break;
              case 'refundCash': {
                const sale = saleOf(n, { total: s.amount, shiftId: 'shift-0', at });
                sales.push(sale);
                refunds.push(
                  refundOf(sale, at, [{ method: 'cash', amount: s.amount }], `refund-${String(n)}`),
                );
                drawer -= s.amount;
                break;
              }
              case 'cashIn':
              case 'cashOut':
                events.push(
                  eventAt(seq, s.op === 'cashIn' ? 'cash_in' : 'cash_out', {
                    amount: s.amount,
                    reason: 'Test',
                  }),
                );
                drawer += s.op === 'cashIn' ? s.amount : -s.amount;
                break;
              case 'otherShiftSale':
                sales.push(saleOf(n, { total: s.total, shiftId: 'shift-other', at }));
                break;
            }
          });
          const shuffled = <T>(items: T[]): T[] =>
            items
              .map((item, i) => ({ item, key: Math.imul(i + 1, shuffleSeed | 1) >>> 0 }))
              .sort((a, b) => a.key - b.key)
              .map(({ item }) => item);
          const result = buildShiftReport({
            shiftId: SHIFT,
            kind: 'X',
            now: NOW,
            events: shuffled(events),
            sales: shuffled(sales),
            voids: shuffled(voids),
            refunds: shuffled(refunds),
          });
          expect(result.expectedCash).toBe(drawer);
          expect(
            result.float +
              result.tenders.cash +
              result.cashRounding -
              result.voids.cash -
              result.refunds.cash +
              result.cashIn -
              result.cashOut,
          ).toBe(result.expectedCash);
        },
      ),
      { seed: 20261127, numRuns: 200 },
    );
  });
});
