import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GIFT_25 } from '../../test-support/sales.ts';
import { addDashboardUser } from '../test-kit.ts';
import { dataFixture, type DataFixture } from '../sales/dashboard-data.test-support.ts';

describe('dashboard CSV exports', () => {
  let f: DataFixture;
  beforeEach(async () => {
    f = await dataFixture();
  });
  afterEach(() => f.t.close());

  it('sends a signed-out browser to sign in and refuses bad filters', async () => {
    const out = await f.t.app.inject({ method: 'GET', url: '/dashboard/exports/sales.csv' });
    expect(out.statusCode).toBe(303);
    const bad = await f.manager.get('/dashboard/exports/audit-events.csv?kind=nonsense');
    expect(bad.statusCode).toBe(400);
  });

  it("exports the user's own store only, quoted, with formulas neutralised", async () => {
    // A name is typed by a person: one starting with = + - @ would run as a spreadsheet formula.
    const staff = await addDashboardUser(f.t, { role: 'cashier', name: '=cmd|"/c calc"!A1' });
    const risky = await f.sell(
      [{ ...GIFT_25, name: '=HYPERLINK("http://evil.test","Gift, card")' }],
      { buyerEmail: 'ana@example.test', staffId: staff.id },
    );
    const theirs = await f.sell([GIFT_25], {}, 'other');
    const response = await f.manager.get('/dashboard/exports/sales.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="sales-2026-11-26\.csv"$/,
    );
    const lines = response.body.split('\r\n');
    expect(lines[0]).toMatch(/^receipt_number,sale_id,/);
    expect(lines).toHaveLength(3); // header, one sale, the empty string after the last CRLF
    expect(response.body).toContain(risky.receiptNumber);
    expect(response.body).not.toContain(theirs.receiptNumber);
    expect(response.body).toContain(`,"'=cmd|""/c calc""!A1",`);
    expect(response.body).toContain(`,"1 × =HYPERLINK(""http://evil.test"",""Gift, card"")",`);

    const codes = await f.manager.get('/dashboard/exports/entitlements.csv?state=known');
    expect(codes.body).toContain(risky.lines[0]?.codes[0] ?? 'missing');
    expect(codes.body).not.toContain(theirs.lines[0]?.codes[0] ?? 'missing');
    const none = await f.manager.get('/dashboard/exports/entitlements.csv?state=voided');
    expect(none.body.split('\r\n')).toHaveLength(2);
    const events = await f.manager.get('/dashboard/exports/audit-events.csv');
    expect(events.statusCode).toBe(200);
    expect(events.headers['content-disposition']).toBe(
      'attachment; filename="audit-events-2026-11-26.csv"',
    );

    const page = await f.manager.get('/dashboard/exports');
    expect(page.body).toContain('about 1 row.');
  });
});
