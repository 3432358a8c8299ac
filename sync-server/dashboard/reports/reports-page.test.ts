import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { squash } from '../../test-support/portal.ts';
import { GIFT_25 } from '../../test-support/sales.ts';
import { addDashboardUser } from '../test-kit.ts';
import { dataFixture, VOUCHER, type DataFixture } from '../sales/dashboard-data.test-support.ts';
import { buildReport } from './report-facts.ts';

describe('dashboard reports', () => {
  let f: DataFixture;
  beforeEach(async () => {
    f = await dataFixture();
  });
  afterEach(() => f.t.close());

  it('counts sales, refunds and voids apart, by day, product, staff, tender and store', async () => {
    const alex = await addDashboardUser(f.t, { role: 'cashier', name: 'Alex' });
    const morgan = await addDashboardUser(f.t, { name: 'Morgan' });
    // 24 Nov: €25 gift card by Alex, later voided by Morgan on 25 Nov.
    const voided = await f.sell([GIFT_25], {
      staffId: alex.id,
      createdAt: '2026-11-24T10:00:00.000Z',
    });
    await f.voidSale(voided, {
      staffId: morgan.id,
      approvedBy: morgan.id,
      createdAt: '2026-11-25T09:00:00.000Z',
    });
    // 25 Nov: gift card + two spa vouchers (€115) by Alex; the spa line refunded the same day.
    const mixed = await f.sell([GIFT_25, VOUCHER], {
      staffId: alex.id,
      createdAt: '2026-11-25T11:00:00.000Z',
    });
    await f.refundLines(mixed, [mixed.lines[1]?.lineId ?? ''], {
      staffId: alex.id,
      approvedBy: morgan.id,
      createdAt: '2026-11-25T12:00:00.000Z',
    });
    // Another store's sale never shows.
    await f.sell([VOUCHER], {}, 'other');

    const { report } = await buildReport(f.t.db, [f.t.store.id], {
      from: '2026-11-24',
      to: '2026-11-25',
    });
    const pick = (
      rows: readonly {
        label: string;
        sales: number;
        refunds: number;
        voided: number;
        net: number;
      }[],
    ) => rows.map((row) => [row.label, row.sales, row.refunds, row.voided, row.net]);
    expect(
      report.totals.map((row) => [row.count, row.sales, row.refunds, row.voided, row.net]),
    ).toEqual([[2, 14000, 9000, 2500, 2500]]);
    expect(pick(report.day)).toEqual([
      ['24 Nov', 2500, 0, 0, 2500],
      ['25 Nov', 11500, 9000, 2500, 0],
    ]);
    expect(pick(report.product)).toEqual([
      ['Gift card €25', 5000, 0, 2500, 2500],
      ['Spa voucher', 9000, 9000, 0, 0],
    ]);
    expect(pick(report.staff)).toEqual([
      ['Alex', 14000, 9000, 0, 5000],
      ['Morgan', 0, 0, 2500, -2500],
    ]);
    expect(pick(report.tender)).toEqual([['Cash', 14000, 9000, 2500, 2500]]);
    expect(report.store.map((row) => row.key)).toEqual([f.t.store.id]);

    const page = squash(
      (await f.manager.get('/dashboard/reports?from=2026-11-24&to=2026-11-25')).body,
    );
    expect(page).toContain('role="img"');
    expect(page).toContain('<title id="chart-day-title">Net sales by day</title>');
    expect(page).toContain('−€25.00');
    expect(page).toContain('Test Shop');
  });

  it('refuses a range over a year or upside down, and says when there is nothing', async () => {
    const long = await f.manager.get('/dashboard/reports?from=2025-01-01&to=2026-11-25');
    expect(long.statusCode).toBe(400);
    expect(squash(long.body)).toContain('at most a year');
    const empty = await f.manager.get('/dashboard/reports?from=2026-01-01&to=2026-01-02');
    expect(squash(empty.body)).toContain('No sales, refunds or voids');
    const other = await f.sell([VOUCHER], {}, 'other');
    const mine = squash(
      (await f.manager.get('/dashboard/reports?from=2026-11-26&to=2026-11-26')).body,
    );
    expect(mine).toContain('No sales, refunds or voids');
    expect(other.receiptNumber).toBeTruthy();
  });
});
