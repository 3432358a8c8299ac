import { describe, expect, it } from 'vitest';
import { PLAN_PRODUCTS, planSales, plannedCodes } from './sales-plan.ts';

describe('planSales', () => {
  it('draws the same sales from the same seed, other sales from another', () => {
    expect(planSales(50)).toEqual(planSales(50));
    expect(planSales(50, 8)).not.toEqual(planSales(50));
    // A longer plan starts with the shorter one: quick and full runs sell the same first carts.
    expect(planSales(200).slice(0, 50)).toEqual(planSales(50));
  });

  it('sells 1-3 distinct demo products per sale, 1-3 codes each, under unique ids', () => {
    const plan = planSales(300);
    for (const sale of plan) {
      expect(sale.lines.length).toBeGreaterThanOrEqual(1);
      expect(sale.lines.length).toBeLessThanOrEqual(3);
      expect(new Set(sale.lines.map((line) => line.productId)).size).toBe(sale.lines.length);
      for (const line of sale.lines) {
        expect(PLAN_PRODUCTS).toContain(line.productId);
        expect([1, 2, 3]).toContain(line.quantity);
      }
      expect(sale.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(plan.map((sale) => sale.id)).size).toBe(plan.length);
    // Every length and quantity occurs.
    expect(new Set(plan.map((sale) => sale.lines.length))).toEqual(new Set([1, 2, 3]));
  });

  it('counts one code per unit', () => {
    const plan = [
      { id: 'a', lines: [{ productId: 'prod-gift-25', quantity: 2 }] },
      {
        id: 'b',
        lines: [
          { productId: 'prod-gift-50', quantity: 3 },
          { productId: 'prod-pcr-test', quantity: 1 },
        ],
      },
    ];
    expect(plannedCodes(plan)).toBe(6);
  });
});
