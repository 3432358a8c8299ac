import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { enrolTerminal, errorOf, syncHeaders } from '../test-support/sales.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { signedInAs, type DashboardBrowser } from './test-kit.ts';

let t: TestApp;
let manager: DashboardBrowser;
let ours: EnrolResponse;
let theirs: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  const other = await t.addStore('Other Shop');
  ours = await enrolTerminal(t.app, await t.pairingCode(), 'Front till');
  theirs = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Their till');
  manager = await signedInAs(t, 'manager');
});
afterEach(async () => {
  await t.close();
});

const revokedAt = async (id: string) =>
  (
    await t.db
      .selectFrom('terminals')
      .select('revoked_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).revoked_at;
const actions = () => t.db.selectFrom('dashboard_actions').selectAll().execute();
const pairingCodes = () => t.db.selectFrom('pairing_codes').selectAll().execute();

describe('terminals: refusals', () => {
  it("hides another store's terminals from a manager and refuses to revoke them", async () => {
    const list = await manager.get('/dashboard/terminals');
    expect(squash(list.body)).toContain('Front till');
    expect(squash(list.body)).not.toContain('Their till');
    expect((await manager.get(`/dashboard/terminals/${theirs.terminalId}/revoke`)).statusCode).toBe(
      404,
    );
    const refused = await manager.post(`/dashboard/terminals/${theirs.terminalId}/revoke`);
    expect(refused.statusCode).toBe(404);
    expect(squash(refused.body)).toContain('There is no such terminal.');
    expect(await revokedAt(theirs.terminalId)).toBeNull();
    expect(await actions()).toEqual([]);
  });

  it('revokes nothing on a POST without the session token', async () => {
    const refused = await manager.post(`/dashboard/terminals/${ours.terminalId}/revoke`, {
      csrf: 'forged',
    });
    expect(refused.statusCode).toBe(403);
    expect(await revokedAt(ours.terminalId)).toBeNull();
  });

  it("makes no pairing code for another store's id", async () => {
    const before = (await pairingCodes()).length;
    const refused = await manager.post('/dashboard/terminals/pairing-code', {
      storeId: theirs.storeId,
    });
    expect(refused.statusCode).toBe(404);
    expect(await pairingCodes()).toHaveLength(before);
  });
});

describe('terminals', () => {
  it('confirms, revokes, records it, and the terminal is refused on its next request', async () => {
    const confirm = await manager.get(`/dashboard/terminals/${ours.terminalId}/revoke`);
    expect(squash(confirm.body)).toContain('Revoke <strong>Front till</strong>?');
    const done = await manager.post(`/dashboard/terminals/${ours.terminalId}/revoke`);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/dashboard/terminals?done=revoked');
    expect(await revokedAt(ours.terminalId)).not.toBeNull();
    const pull = await t.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/sync/products/pull`,
      headers: syncHeaders(ours.token),
    });
    expect(pull.statusCode).toBe(401);
    expect(errorOf(pull).error).toBe('terminal_revoked');
    const [action] = await actions();
    expect(action).toMatchObject({
      action: 'terminal.revoke',
      subject: ours.terminalId,
      staff_id: manager.staff.id,
      store_id: t.store.id,
    });
    const list = await manager.get('/dashboard/terminals?done=revoked');
    expect(squash(list.body)).toContain('The terminal is revoked.');
    expect(squash(list.body)).toContain('Revoked');
  });

  it('shows a new pairing code once, which enrols a terminal into the store; the record keeps no code', async () => {
    const page = await manager.post('/dashboard/terminals/pairing-code', { storeId: t.store.id });
    expect(page.statusCode).toBe(200);
    const code = /data-testid="pairing-code">([A-Z0-9-]+)</.exec(page.body)?.[1] ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const enrolled = await enrolTerminal(t.app, code, 'New till');
    expect(enrolled.storeId).toBe(t.store.id);
    const [action] = await actions();
    expect(action?.action).toBe('terminal.pairing_code');
    expect(action?.detail).not.toContain(code.replace('-', ''));
    expect(action?.detail).not.toContain(code);
  });

  it('lists problems on the overview: a revoked terminal and one silent for over a day', async () => {
    await manager.post(`/dashboard/terminals/${ours.terminalId}/revoke`);
    const back = await enrolTerminal(t.app, await t.pairingCode(), 'Back till');
    await t.db
      .updateTable('terminals')
      .set({ last_seen_at: new Date(t.clock.now().getTime() - 25 * 3_600_000).toISOString() })
      .where('id', '=', back.terminalId)
      .execute();
    const overview = squash((await manager.get('/dashboard')).body);
    expect(overview).toContain('Revoked: it can no longer sync.');
    expect(overview).toContain('Not seen for more than a day');
    expect(overview).not.toContain('Their till');
  });
});

describe('overview', () => {
  it("counts today's sales of the user's stores by the sale's own time, older protocol bodies too", async () => {
    const insert = (id: string, storeId: string, createdAt: string, body: object) =>
      t.db
        .insertInto('sales')
        .values({
          id,
          store_id: storeId,
          terminal_id: ours.terminalId,
          receipt_number: id,
          body: JSON.stringify(body),
          created_at: createdAt,
          received_at: createdAt,
          seq: 0,
          staff_id: null,
          shift_id: null,
        })
        .execute();
    await insert('s1', t.store.id, '2026-11-26T09:00:00.000Z', { total: 2500 });
    await insert('s2', t.store.id, '2026-11-26T00:00:00.000Z', { total: 1250, staffId: null });
    await insert('s3', t.store.id, '2026-11-25T23:59:59.999Z', { total: 9999 });
    await insert('s4', theirs.storeId, '2026-11-26T09:00:00.000Z', { total: 7777 });
    const overview = squash((await manager.get('/dashboard')).body);
    expect(overview).toContain('€37.50');
    expect(overview).toContain('2 sales');
    expect(overview).not.toContain('€77.77');
  });
});
