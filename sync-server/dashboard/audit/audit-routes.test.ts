import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extendChain, forged, pushAudit } from '../../audit/audit-chain.test-support.ts';
import { squash } from '../../test-support/portal.ts';
import { GIFT_25 } from '../../test-support/sales.ts';
import { addDashboardUser } from '../test-kit.ts';
import { dataFixture, type DataFixture } from '../sales/dashboard-data.test-support.ts';

describe('dashboard audit page', () => {
  let f: DataFixture;
  beforeEach(async () => {
    f = await dataFixture();
  });
  afterEach(() => f.t.close());

  it('says a chain is intact through its last event, and lists sales without an event', async () => {
    const alex = await addDashboardUser(f.t, { role: 'cashier', name: 'Alex' });
    const audited = await f.sell([GIFT_25], { staffId: alex.id });
    const unaudited = await f.sell([GIFT_25], { staffId: alex.id });
    const chain = await extendChain(f.mainTill, [], 3, (n) =>
      n === 1
        ? { subjectId: audited.id, staffId: alex.id }
        : { kind: 'sign_in', subjectId: null, detail: { outcome: 'success' } },
    );
    await pushAudit(f.t.app, f.mainTill.token, chain);
    const page = squash((await f.manager.get('/dashboard/audit')).body);
    expect(page).toContain('Intact');
    expect(page).toContain('verified through event 3 of 3');
    expect(page).toContain(unaudited.receiptNumber);
    expect(page).not.toContain(`>${audited.receiptNumber}<`);

    const events = squash(
      (await f.manager.get(`/dashboard/audit/terminals/${f.mainTill.terminalId}?kind=sign_in`))
        .body,
    );
    expect(events).toContain('outcome: success');
    expect(events).not.toContain('total: 100');
    expect(
      (await f.otherManager.get(`/dashboard/audit/terminals/${f.mainTill.terminalId}`)).statusCode,
    ).toBe(404);
    expect(squash((await f.otherManager.get('/dashboard/audit')).body)).not.toContain('Till 1');
  });

  it('shows where a tampered chain broke, and voids no manager approved', async () => {
    const chain = await extendChain(f.mainTill, [], 3);
    chain[1] = await forged(chain[1]!, { detail: { total: 1 } });
    await pushAudit(f.t.app, f.mainTill.token, chain);
    const sale = await f.sell();
    await f.voidSale(sale);
    const page = squash((await f.manager.get('/dashboard/audit')).body);
    expect(page).toContain('Broken');
    expect(page).toMatch(/at event [23]:/);
    expect(page).toContain('No manager approved this void.');
    expect(page).toContain(sale.receiptNumber);
  });
});
