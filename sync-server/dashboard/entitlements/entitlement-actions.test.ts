import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemRandomBytes } from '../../deps.ts';
import { consumeEntitlement } from '../../redeem/consume.test-support.ts';
import { entitlementOf, stateOf } from '../../test-support/entitlements.ts';
import { squash } from '../../test-support/portal.ts';
import { GIFT_25 } from '../../test-support/sales.ts';
import { dataFixture, type DataFixture } from '../sales/dashboard-data.test-support.ts';

const actionsOn = (f: DataFixture, subject: string) =>
  f.t.db.selectFrom('dashboard_actions').selectAll().where('subject', '=', subject).execute();

describe('manual actions on a code', () => {
  let f: DataFixture;
  let code: string;
  let published: string[][];
  beforeEach(async () => {
    f = await dataFixture();
    const sale = await f.sell([GIFT_25], { buyerEmail: 'ana@example.test' });
    code = sale.lines[0]?.codes[0] ?? '';
    published = [];
    f.t.notifier.subscribe(f.t.store.id, (collections) => published.push([...collections]));
  });
  afterEach(() => f.t.close());

  it('refuses a void without the form token, without a reason, or from another store, changing nothing', async () => {
    const url = `/dashboard/entitlements/${code}/void`;
    expect(
      (await f.manager.post(url, { csrf: 'forged', reason: 'customer asked' })).statusCode,
    ).toBe(403);
    const noReason = await f.manager.post(url, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(squash(noReason.body)).toContain('Say why');
    expect((await f.otherManager.post(url, { reason: 'customer asked' })).statusCode).toBe(404);
    expect((await f.otherManager.get(`/dashboard/entitlements/${code}`)).statusCode).toBe(404);
    expect(await stateOf(f.t.db, code)).toBe('known');
    expect(await actionsOn(f, `entitlement:${code}`)).toEqual([]);
    expect(published).toEqual([]);
  });

  it('voids a code after the confirm page, recorded in its history and the action log', async () => {
    const confirm = squash((await f.manager.get(`/dashboard/entitlements/${code}/void`)).body);
    expect(confirm).toContain('Void the code');
    expect(confirm).toContain('name="reason"');
    const response = await f.manager.post(`/dashboard/entitlements/${code}/void`, {
      reason: 'Customer paid twice',
    });
    expect(response.statusCode).toBe(303);
    expect(await stateOf(f.t.db, code)).toBe('voided');
    const events = await f.t.db
      .selectFrom('entitlement_events')
      .selectAll()
      .where('code', '=', code)
      .where('to_state', '=', 'voided')
      .execute();
    expect(events).toMatchObject([
      { actor: `staff:${f.manager.staff.id}`, reason: 'Customer paid twice' },
    ]);
    const [action] = await actionsOn(f, `entitlement:${code}`);
    expect(action).toMatchObject({
      action: 'entitlement.void',
      staff_id: f.manager.staff.id,
      store_id: f.t.store.id,
    });
    expect(JSON.parse(action?.detail ?? '{}')).toMatchObject({
      from: 'known',
      reason: 'Customer paid twice',
    });
    expect(published).toEqual([['entitlements']]);
    const page = squash((await f.manager.get(`/dashboard/entitlements/${code}`)).body);
    expect(page).toContain('known → voided');
    expect(page).toContain('Voided on the dashboard');
    expect(page).toContain(f.manager.staff.name);
  });

  it('never voids a redeemed code', async () => {
    await consumeEntitlement(f.t.db, code, {
      clock: f.t.clock.now,
      randomBytes: systemRandomBytes,
      actor: 'anonymous',
    });
    const response = await f.manager.post(`/dashboard/entitlements/${code}/void`, {
      reason: 'too late',
    });
    expect(response.statusCode).toBe(409);
    expect(squash(response.body)).toContain('has been redeemed');
    expect(await stateOf(f.t.db, code)).toBe('consumed');
    expect(await actionsOn(f, `entitlement:${code}`)).toEqual([]);
  });

  it('extends the expiry only to a later day than now and than the current expiry', async () => {
    await f.t.db
      .updateTable('entitlements')
      .set({ expires_at: '2026-12-31T00:00:00.000Z' })
      .where('code', '=', code)
      .execute();
    const url = `/dashboard/entitlements/${code}/extend`;
    const tries = [
      { through: 'soon', expect: 'as a date' },
      { through: '2026-11-01', expect: 'already passed' },
      { through: '2026-12-29', expect: 'after the current expiry' },
    ];
    for (const attempt of tries) {
      const response = await f.manager.post(url, { through: attempt.through, reason: 'goodwill' });
      expect(response.statusCode).toBe(400);
      expect(squash(response.body)).toContain(attempt.expect);
    }
    expect((await entitlementOf(f.t.db, code)).expires_at).toBe('2026-12-31T00:00:00.000Z');
    expect(await actionsOn(f, `entitlement:${code}`)).toEqual([]);

    const ok = await f.manager.post(url, {
      through: '2027-01-31',
      reason: 'Shop closed in December',
    });
    expect(ok.statusCode).toBe(303);
    expect((await entitlementOf(f.t.db, code)).expires_at).toBe('2027-02-01T00:00:00.000Z');
    const [action] = await actionsOn(f, `entitlement:${code}`);
    expect(action?.action).toBe('entitlement.extend');
    expect(JSON.parse(action?.detail ?? '{}')).toEqual({
      from: '2026-12-31T00:00:00.000Z',
      to: '2027-02-01T00:00:00.000Z',
      reason: 'Shop closed in December',
    });
    expect(published).toEqual([['entitlements']]);
  });

  it('finds codes by their start, by receipt number and by the e-mail they were given to', async () => {
    const hit = squash(
      (await f.manager.get(`/dashboard/entitlements?q=${code.slice(0, 8).toLowerCase()}`)).body,
    );
    expect(hit).toContain(`/dashboard/entitlements/${code}`);
    const other = await f.sell([GIFT_25], {}, 'other');
    const otherCode = other.lines[0]?.codes[0] ?? '';
    const miss = squash((await f.manager.get(`/dashboard/entitlements?q=${otherCode}`)).body);
    expect(miss).toContain('Nothing matches');
    const recent = squash((await f.manager.get('/dashboard/entitlements')).body);
    expect(recent).toContain('Recently changed');
    expect(recent).toContain(`/dashboard/entitlements/${code}`);
    expect(recent).not.toContain(otherCode);
  });

  it('resends the receipt e-mail through the outbox, recorded as an action', async () => {
    const sale = await f.t.db
      .selectFrom('entitlements')
      .select('sale_id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const url = `/dashboard/sales/${sale.sale_id}/resend`;
    expect(
      (await f.manager.post(url, { email: 'not an address', reason: 'lost it' })).statusCode,
    ).toBe(400);
    const response = await f.manager.post(url, { reason: 'Customer lost the e-mail' });
    expect(response.statusCode).toBe(303);
    const queued = await f.t.db
      .selectFrom('outbox')
      .select(['kind', 'payload'])
      .where('idempotency_key', 'like', `sale-codes-email:${sale.sale_id}:resend%`)
      .execute();
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]?.payload ?? '{}')).toMatchObject({ to: 'ana@example.test' });
    const [action] = await actionsOn(f, `sale:${sale.sale_id}`);
    expect(action?.action).toBe('sale.resend_receipt');
    expect(
      (await f.otherManager.post(url, { reason: 'Customer lost the e-mail' })).statusCode,
    ).toBe(404);
  });
});
