import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemRandomBytes } from '../deps.ts';
import {
  DEMO_GIFT_25,
  GALA_TICKET,
  PCR_VOUCHER,
  eventsOf,
  holderWorld,
  type HolderWorld,
} from '../onboarding/holder.test-support.ts';
import { entitlementOf, stateOf } from '../test-support/entitlements.ts';
import { squash } from '../test-support/portal.ts';
import { onboardClaimed } from '../onboarding/activate.ts';
import { templateOf } from '../templates/templates.ts';
import { expireDueEntitlements } from './expiry.ts';
import { sweepOnce } from './provisional-sweep.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

let w: HolderWorld;
beforeEach(async () => {
  w = await holderWorld();
});
afterEach(async () => {
  await w.close();
});

const DAY = 86_400_000;
const sweep = () => expireDueEntitlements(w.t.db, w.t.clock.now, systemRandomBytes);

describe('expiry: refusals', () => {
  it('expires nothing before its time, and no code that is used or has no end', async () => {
    const ticket = await w.sell(GALA_TICKET);
    expect(await sweep()).toEqual({ expired: [], owners: [] });
    await w.t.db
      .updateTable('entitlements')
      .set({ expires_at: null })
      .where('code', '=', ticket)
      .execute();
    w.t.clock.advance(3650 * DAY);
    expect((await sweep()).expired).toEqual([]);
    expect(await stateOf(w.t.db, ticket)).toBe('known');
  });

  it('refuses to claim or onboard a code past its validity', async () => {
    const code = await w.sell(GALA_TICKET);
    const phone = await w.claim(code, 'ana@example.test');
    await phone.get(`/account/codes/${code}`);
    // Sooner than the gala, so the session (30 days) is still valid.
    await w.t.db
      .updateTable('entitlements')
      .set({ expires_at: '2026-11-27T00:00:00.000Z' })
      .where('code', '=', code)
      .execute();
    w.t.clock.advance(DAY);
    const page = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(page).toContain('data-state="expired">Expired');
    expect(page).not.toContain('name="attendeeName"');
    const posted = await phone.post(`/account/codes/${code}/onboard`, { attendeeName: 'Ada' });
    expect(posted.headers.location).toBe(`/account/codes/${code}`);
    expect(await stateOf(w.t.db, code)).toBe('claimed');
  });
});

describe('expiry: the onboarding service', () => {
  it('refuses to onboard a claimed code past its validity, on any path', async () => {
    const code = await w.sell(PCR_VOUCHER);
    await w.claim(code, 'ana@example.test');
    w.t.clock.advance(181 * DAY);
    const template = await templateOf(w.t.db, PCR_VOUCHER.productId);
    if (!template) throw new Error('the demo voucher has a template');
    const storeId = await w.t.db.transaction().execute((trx) =>
      onboardClaimed(
        trx,
        {
          code,
          template,
          submission: { values: {}, seats: null },
          actor: 'system',
          reason: 'test',
        },
        { clock: w.t.clock.now, randomBytes: systemRandomBytes, masterKey: new Uint8Array(32) },
      ),
    );
    expect(storeId).toBeNull();
    expect(await stateOf(w.t.db, code)).toBe('claimed');
  });
});

describe('expiry', () => {
  it('moves due codes of every live state to expired, once, as the system', async () => {
    const known = await w.sell(GALA_TICKET);
    const claimed = await w.sell(GALA_TICKET);
    await w.claim(claimed, 'ana@example.test');
    const voucher = await w.sell(PCR_VOUCHER); // 180 days: not due yet
    w.t.clock.advance(31 * DAY);
    const first = await sweep();
    expect(first.expired.sort()).toEqual([known, claimed].sort());
    // Both were sold by the one till: it is told once.
    expect(first.owners).toEqual([{ storeId: 'demo-store', terminalId: w.till.terminalId }]);
    expect((await eventsOf(w.t, claimed)).at(-1)).toEqual([
      'claimed',
      'expired',
      'system',
      'validity ended',
    ]);
    expect(await stateOf(w.t.db, voucher)).toBe('known');
    expect((await sweep()).expired).toEqual([]);
    expect(await eventsOf(w.t, known)).toHaveLength(2);
  });

  it('runs in the periodic sweep with provisional claims, and reports the tills to tell', async () => {
    const card = await w.sell(DEMO_GIFT_25);
    w.t.clock.advance(366 * DAY);
    const changed: StatusOwner[] = [];
    await sweepOnce({
      db: w.t.db,
      clock: w.t.clock.now,
      randomBytes: systemRandomBytes,
      masterKey: w.t.masterKey,
      onChange: (owners) => changed.push(...owners),
    });
    expect(changed).toEqual([{ storeId: 'demo-store', terminalId: w.till.terminalId }]);
    expect(await entitlementOf(w.t.db, card)).toMatchObject({ state: 'expired' });
  });
});
