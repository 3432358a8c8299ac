import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extendChain, pushAudit } from '../../audit/audit-chain.test-support.ts';
import type { AuditEvent } from '../../../shared/audit/audit-event.ts';
import { squash } from '../../test-support/portal.ts';
import { GIFT_25 } from '../../test-support/sales.ts';
import { addDashboardUser } from '../test-kit.ts';
import { dataFixture, type DataFixture } from '../sales/dashboard-data.test-support.ts';

describe('dashboard shifts', () => {
  let f: DataFixture;
  beforeEach(async () => {
    f = await dataFixture();
  });
  afterEach(() => f.t.close());

  it('lists a closed shift with its variance in red and shows its Z-report', async () => {
    const alex = await addDashboardUser(f.t, { role: 'cashier', name: 'Alex' });
    const sale = await f.sell([GIFT_25], {
      staffId: alex.id,
      shiftId: 'shift-1',
      createdAt: '2026-11-26T09:30:00.000Z',
    });
    const at = (minute: number) => `2026-11-26T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const chain: AuditEvent[] = [];
    await extendChain(
      f.mainTill,
      chain,
      4,
      (n) =>
        [
          {
            kind: 'shift_open' as const,
            staffId: alex.id,
            subjectId: 'shift-1',
            detail: { float: 10000, currency: 'EUR' },
            createdAt: at(0),
          },
          {
            kind: 'sale' as const,
            staffId: alex.id,
            subjectId: sale.id,
            detail: { total: 2500 },
            createdAt: at(30),
          },
          {
            kind: 'cash_out' as const,
            staffId: alex.id,
            subjectId: 'shift-1',
            detail: { amount: 500, reason: 'Milk' },
            createdAt: at(40),
          },
          {
            kind: 'shift_close' as const,
            staffId: alex.id,
            subjectId: 'shift-1',
            detail: {
              counts: '5000x2,1000x1',
              countedCash: 11000,
              expectedCash: 12000,
              variance: -1000,
              salesCount: 1,
              salesTotal: 2500,
              firstReceipt: sale.receiptNumber,
              lastReceipt: sale.receiptNumber,
            },
            createdAt: at(50),
          },
        ][n - 1] ?? {},
    );
    await pushAudit(f.t.app, f.mainTill.token, chain);
    // Voids and refunds carry no shift id: they count by the till and the shift's times.
    const second = await f.sell([GIFT_25], { shiftId: 'shift-1', createdAt: at(35) });
    await f.voidSale(sale, { createdAt: at(45) });
    await f.refundLines(second, [second.lines[0]?.lineId ?? ''], { createdAt: at(46) });

    const list = squash((await f.manager.get('/dashboard/shifts')).body);
    expect(list).toContain('Alex');
    expect(list).toContain('€100.00'); // float
    expect(list).toContain('<span class="badge bad">−€10.00 short</span>');
    expect(squash((await f.otherManager.get('/dashboard/shifts')).body)).toContain('No shifts yet');
    expect((await f.otherManager.get('/dashboard/shifts/shift-1')).statusCode).toBe(404);

    const page = squash((await f.manager.get('/dashboard/shifts/shift-1')).body);
    expect(page).toMatch(/Z/);
    expect(page).toContain('Takings');
    expect(page).toContain('−€10.00 short');
    expect(page).toContain('Voids (1)');
    expect(page).toContain('Refunds (1)');
  });
});
