import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import { StoreSettings } from '../../shared/schemas/store-settings.ts';
import { StaffMember } from '../../shared/staff/staff-member.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { systemRandomBytes } from '../deps.ts';
import { DEMO_STAFF, seedDemoStaff } from '../staff/demo-staff.ts';
import { createStaff, updateStaff } from '../staff/staff.ts';
import { updateStoreSettings } from '../staff/store-settings.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, errorOf, pullPage, syncHeaders } from '../test-support/sales.ts';
import { publishSettingsChange, publishStaffChange } from './staff-pull.ts';

let t: TestApp;
let demoTill: EnrolResponse;
let ownTill: EnrolResponse;
const fast = () => ({ clock: t.clock.now, randomBytes: systemRandomBytes });

beforeEach(async () => {
  t = await createTestApp({ demo: true });
  await seedDemoStaff(t.db, t.clock.now);
  demoTill = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
  ownTill = await enrolTerminal(t.app, await t.pairingCode(), 'Own till');
});
afterEach(async () => {
  await t.close();
});

const pull = <T>(collection: string, token: string, query = '') =>
  pullPage<T>(t.app, token, collection, query);

describe('GET /api/v1/sync/staff/pull and /settings/pull: refusals', () => {
  it('refuses no token, an old protocol and a bad query', async () => {
    for (const collection of ['staff', 'settings']) {
      const url = `${API_PREFIX}/sync/${collection}/pull`;
      const noToken = await t.app.inject({
        url,
        headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      });
      expect(errorOf(noToken).error).toBe('unauthorized');
      const old = await t.app.inject({
        url,
        headers: { ...syncHeaders(demoTill.token), [PROTOCOL_HEADER]: '3' },
      });
      expect(old.statusCode).toBe(426);
      const bad = await t.app.inject({
        url: `${url}?limit=0`,
        headers: syncHeaders(demoTill.token),
      });
      expect(bad.statusCode).toBe(400);
      expect(errorOf(bad).message).toMatch(/^The pull query is not valid: limit: /);
    }
  });
});

describe('GET /api/v1/sync/staff/pull', () => {
  it("gives the store's own staff and the admins of every store, never another store's", async () => {
    const demo = await pull<StaffMember>('staff', demoTill.token);
    expect(demo.documents.map((d) => d.id).sort()).toEqual(DEMO_STAFF.map((m) => m.id).sort());
    for (const document of demo.documents) {
      const { _deleted, ...member } = document;
      expect(_deleted).toBe(false);
      expect(StaffMember.parse(member)).toEqual(member);
    }
    // The PIN hash travels, so the counter checks PINs offline; e-mail and password never do.
    expect(demo.documents[0]).not.toHaveProperty('email');
    expect(demo.documents[0]).not.toHaveProperty('passwordHash');

    const own = await pull<StaffMember>('staff', ownTill.token);
    expect(own.documents.map((d) => d.id)).toEqual(['staff-demo-admin']);
  });

  it('pages by checkpoint and returns a changed member again, with its change', async () => {
    const first = await pull<StaffMember>('staff', demoTill.token, '?limit=2');
    expect(first.documents).toHaveLength(2);
    const second = await pull<StaffMember>('staff', demoTill.token, `?seq=${first.checkpoint.seq}`);
    expect(second.documents).toHaveLength(1);
    const empty = await pull<StaffMember>('staff', demoTill.token, `?seq=${second.checkpoint.seq}`);
    expect(empty).toEqual({ documents: [], checkpoint: second.checkpoint });

    await updateStaff(t.db, 'staff-demo-cashier', { active: false }, fast());
    const added = await createStaff(
      t.db,
      { storeId: DEMO_STORE.id, name: 'Kim', role: 'cashier', pin: '4711' },
      { ...fast(), pinIterations: 1_000 },
    );
    const changes = await pull<StaffMember>(
      'staff',
      demoTill.token,
      `?seq=${second.checkpoint.seq}`,
    );
    expect(changes.documents.map((d) => [d.id, d.active])).toEqual([
      ['staff-demo-cashier', false],
      [added.id, true],
    ]);
    expect(changes.documents[1]!.pinHash?.iterations).toBe(1_000);
  });
});

describe('GET /api/v1/sync/settings/pull', () => {
  it("creates the store's defaults on first pull and pulls each change once", async () => {
    const first = await pull<StoreSettings>('settings', ownTill.token);
    expect(first.documents).toHaveLength(1);
    const { _deleted, ...settings } = first.documents[0]!;
    expect(StoreSettings.parse(settings)).toMatchObject({
      id: t.store.id,
      storeId: t.store.id,
      discountApprovalMilliPercent: 10_000,
      idleLockSeconds: 120,
    });
    // Pulling again writes nothing new.
    const again = await pull<StoreSettings>(
      'settings',
      ownTill.token,
      `?seq=${first.checkpoint.seq}`,
    );
    expect(again.documents).toEqual([]);

    await updateStoreSettings(t.db, t.store.id, { idleLockSeconds: 300 }, t.clock.now);
    const changed = await pull<StoreSettings>(
      'settings',
      ownTill.token,
      `?seq=${first.checkpoint.seq}`,
    );
    expect(changed.documents.map((d) => d.idleLockSeconds)).toEqual([300]);

    // The demo store's settings are its own.
    const demo = await pull<StoreSettings>('settings', demoTill.token);
    expect(demo.documents.map((d) => [d.storeId, d.idleLockSeconds])).toEqual([
      [DEMO_STORE.id, 120],
    ]);
  });
});

describe('publishStaffChange / publishSettingsChange', () => {
  it('tells one store, or every store for an admin of every store', async () => {
    const heard: [string, readonly string[]][] = [];
    for (const store of [DEMO_STORE.id, t.store.id]) {
      t.notifier.subscribe(store, (collections) => heard.push([store, collections]));
    }
    await publishStaffChange(t, DEMO_STORE.id);
    expect(heard).toEqual([[DEMO_STORE.id, ['staff']]]);
    heard.length = 0;
    await publishStaffChange(t, null);
    expect(heard.sort()).toEqual(
      [
        [DEMO_STORE.id, ['staff']],
        [t.store.id, ['staff']],
      ].sort(),
    );
    heard.length = 0;
    publishSettingsChange(t, t.store.id);
    expect(heard).toEqual([[t.store.id, ['settings']]]);
  });
});
