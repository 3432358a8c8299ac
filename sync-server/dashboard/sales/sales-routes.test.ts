import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { squash } from '../../test-support/portal.ts';
import { GIFT_25 } from '../../test-support/sales.ts';
import { addDashboardUser, signedInAs } from '../test-kit.ts';
import { dataFixture, VOUCHER, type DataFixture } from './dashboard-data.test-support.ts';
import { SaleFilters } from './sale-filters.ts';
import { searchSales } from './sales-search.ts';

describe('dashboard sales search', () => {
  let f: DataFixture;
  beforeEach(async () => {
    f = await dataFixture();
  });
  afterEach(() => f.t.close());

  it('sends a signed-out browser to sign in', async () => {
    const response = await f.t.app.inject({ method: 'GET', url: '/dashboard/sales' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/dashboard/signin');
  });

  it("never shows a manager another store's sales, in the list or by id", async () => {
    const mine = await f.sell([GIFT_25], { buyerEmail: 'ana@example.test' });
    const theirs = await f.sell([GIFT_25], {}, 'other');
    const list = squash((await f.manager.get('/dashboard/sales')).body);
    expect(list).toContain(mine.receiptNumber);
    expect(list).not.toContain(theirs.receiptNumber);
    expect((await f.manager.get(`/dashboard/sales/${theirs.id}`)).statusCode).toBe(404);
    const byCode = await f.manager.get(`/dashboard/sales?code=${theirs.lines[0]?.codes[0] ?? ''}`);
    expect(squash(byCode.body)).toContain('No sale matches');
    const theirList = squash((await f.otherManager.get('/dashboard/sales')).body);
    expect(theirList).toContain(theirs.receiptNumber);
    expect(theirList).not.toContain('ana@example.test');
  });

  it('shows an admin of every store the sales of each, and narrows to one store on request', async () => {
    const admin = await signedInAs(f.t, 'admin');
    const mine = await f.sell();
    const theirs = await f.sell([GIFT_25], {}, 'other');
    const all = squash((await admin.get('/dashboard/sales')).body);
    expect(all).toContain(mine.receiptNumber);
    expect(all).toContain(theirs.receiptNumber);
    expect(all).toContain('Other Shop');
    const one = squash((await admin.get(`/dashboard/sales?store=${f.otherStore.id}`)).body);
    expect(one).toContain(theirs.receiptNumber);
    expect(one).not.toContain(mine.receiptNumber);
    // A manager naming another store's id in the filter still sees only their own store.
    const sneaky = squash((await f.manager.get(`/dashboard/sales?store=${f.otherStore.id}`)).body);
    expect(sneaky).toContain('No sale matches');
  });

  it('finds sales by receipt, code, buyer e-mail, date range and staff member', async () => {
    const seller = await addDashboardUser(f.t, { role: 'cashier', name: 'Alex Till' });
    const a = await f.sell([GIFT_25], {
      buyerEmail: 'Jo_Smith@Example.test',
      createdAt: '2026-11-20T12:00:00.000Z',
    });
    const b = await f.sell([VOUCHER], {
      staffId: seller.id,
      createdAt: '2026-11-24T12:00:00.000Z',
    });
    const c = await f.sell([GIFT_25], { buyerEmail: 'joXsmith@example.test' });
    const ids = async (query: Record<string, string>) =>
      (await searchSales(f.t.db, [f.t.store.id], SaleFilters.parse(query))).rows.map(
        (row) => row.id,
      );

    expect(await ids({ receipt: b.receiptNumber.toLowerCase() })).toEqual([b.id]);
    const code = b.lines[0]?.codes[1] ?? '';
    expect(await ids({ code: `${code.slice(0, 4)}-${code.slice(4).toLowerCase()}` })).toEqual([
      b.id,
    ]);
    // Case-insensitive, and `_` is a literal underscore, not LIKE's any-character.
    expect(await ids({ email: 'jo_smith@example.test' })).toEqual([a.id]);
    expect(await ids({ from: '2026-11-21', to: '2026-11-24' })).toEqual([b.id]);
    expect(await ids({ to: '2026-11-20' })).toEqual([a.id]);
    expect(await ids({ staff: seller.id })).toEqual([b.id]);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);

    const page = squash((await f.manager.get(`/dashboard/sales?staff=${seller.id}`)).body);
    expect(page).toContain(b.receiptNumber);
    expect(page).toContain('Alex Till');
    expect(page).toContain('1 sale matches.');
    expect(page).toContain('Download this sale (CSV)');
    expect(page).not.toContain(a.receiptNumber);
  });

  it('refuses a bad date range with a sentence and lists nothing', async () => {
    await f.sell();
    const response = await f.manager.get('/dashboard/sales?from=2026-11-25&to=2026-11-01');
    expect(response.statusCode).toBe(400);
    expect(squash(response.body)).toContain('The start date is after the end date.');
  });

  it('pages by keyset: every sale once, newest first, with a link to the older ones', async () => {
    const sold = [];
    for (let i = 0; i < 5; i++) sold.push(await f.sell());
    const first = await searchSales(f.t.db, [f.t.store.id], {}, { limit: 2 });
    const second = await searchSales(
      f.t.db,
      [f.t.store.id],
      {},
      {
        limit: 2,
        before: first.nextBefore ?? 0,
      },
    );
    const third = await searchSales(
      f.t.db,
      [f.t.store.id],
      {},
      {
        limit: 2,
        before: second.nextBefore ?? 0,
      },
    );
    expect(third.nextBefore).toBeNull();
    const seen = [...first.rows, ...second.rows, ...third.rows].map((row) => row.id);
    expect(seen).toEqual(sold.map((sale) => sale.id).reverse());
  });

  it('shows a sale with its lines, payments, staff and the state of each code', async () => {
    const sale = await f.sell([VOUCHER], { buyerEmail: 'ana@example.test' });
    const page = squash((await f.manager.get(`/dashboard/sales/${sale.id}`)).body);
    expect(page).toContain(`Sale ${sale.receiptNumber}`);
    expect(page).toContain('Spa voucher');
    expect(page).toContain('€90.00');
    expect(page).toContain('Cash: €90.00');
    expect(page).toContain('Ready to redeem');
    expect(page).toContain(`/dashboard/entitlements/${sale.lines[0]?.codes[0] ?? ''}`);
  });

  it('shows who voided or refunded a sale, and flags one no manager approved', async () => {
    const cashier = await addDashboardUser(f.t, { role: 'cashier', name: 'Alex Till' });
    const refunded = await f.sell([GIFT_25, VOUCHER]);
    await f.refundLines(refunded, [refunded.lines[1]?.lineId ?? ''], {
      staffId: cashier.id,
      approvedBy: f.manager.staff.id,
    });
    const voided = await f.sell();
    await f.voidSale(voided, { staffId: cashier.id });

    const refundPage = squash((await f.manager.get(`/dashboard/sales/${refunded.id}`)).body);
    expect(refundPage).toContain('Changed their mind');
    expect(refundPage).toContain(`<td>Alex Till</td> <td>${f.manager.staff.name}</td>`);
    expect(refundPage).toContain('€90.00');
    expect(refundPage).toContain('Voided');
    const voidPage = squash((await f.manager.get(`/dashboard/sales/${voided.id}`)).body);
    expect(voidPage).toContain('Rang up twice');
    expect(voidPage).toContain('No manager approval');
  });
});
