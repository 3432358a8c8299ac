import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import { extendChain, forged, pushAudit } from '../audit/audit-chain.test-support.ts';
import { auditStatusOf, auditStatusesOfStore } from '../audit/verify-terminal.ts';
import { revokeTerminal } from '../auth/revoke.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, errorOf, pushFacts } from '../test-support/sales.ts';

let t: TestApp;
let till: EnrolResponse;
let otherTill: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
  otherTill = await enrolTerminal(t.app, await t.pairingCode(), 'Till 2');
});
afterEach(async () => {
  await t.close();
});

const storedCount = async (): Promise<number> =>
  (await t.db.selectFrom('audit_events').select('id').execute()).length;

describe('POST /api/v1/sync/audit/push: refusals', () => {
  it('refuses no token, a bad body and a revoked terminal, and stores nothing', async () => {
    const url = `${API_PREFIX}/sync/audit/push`;
    const [event] = await extendChain(till, [], 1);
    const payload = { rows: [{ newDocumentState: event, assumedMasterState: null }] };
    const noToken = await t.app.inject({
      method: 'POST',
      url,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      payload,
    });
    expect(errorOf(noToken).error).toBe('unauthorized');
    const bad = await pushFacts(t.app, till.token, 'audit', []);
    expect(bad.statusCode).toBe(400);
    await revokeTerminal(t.db, otherTill.terminalId, t.clock.now);
    const revoked = await pushFacts(
      t.app,
      otherTill.token,
      'audit',
      await extendChain(otherTill, [], 1),
    );
    expect(revoked.statusCode).toBe(401);
    expect(errorOf(revoked).error).toBe('terminal_revoked');
    expect(await storedCount()).toBe(0);
  });

  it("refuses a whole push holding another terminal's or another store's event", async () => {
    const own = await extendChain(till, [], 1);
    const theirs = await extendChain(otherTill, [], 1);
    const wrongTerminal = await pushFacts(t.app, till.token, 'audit', [...own, ...theirs]);
    expect(wrongTerminal.statusCode).toBe(403);
    expect(errorOf(wrongTerminal)).toEqual({
      error: 'wrong_terminal',
      message:
        'This push holds audit events of another terminal. Nothing was saved; each terminal pushes its own audit events.',
    });
    const elsewhere = await t.addStore('Elsewhere');
    const wrongStore = await pushFacts(t.app, till.token, 'audit', [
      { ...own[0], storeId: elsewhere.id },
    ]);
    expect(wrongStore.statusCode).toBe(403);
    expect(errorOf(wrongStore).error).toBe('wrong_store');
    expect(await storedCount()).toBe(0);
  });

  it('rejects, row by row, a bad shape, a deletion, a wrong own hash and a bad shift detail', async () => {
    const chain = await extendChain(till, [], 1);
    await extendChain(till, chain, 1, () => ({
      kind: 'cash_out',
      subjectId: 'shift-1',
      detail: { amount: 500, reason: '' },
    }));
    await extendChain(till, chain, 1);
    const [good, badDetail, third] = chain as [AuditEvent, AuditEvent, AuditEvent];
    const altered = { ...third, detail: { total: 1 } };
    const result = await pushAudit(t.app, till.token, [
      { ...good, extra: 1 },
      { ...good, _deleted: true },
      altered,
      badDetail,
      good,
    ]);
    expect(result.accepted).toEqual([good.id]);
    expect(result.rejected).toEqual([
      { id: good.id, reason: expect.stringMatching(/^The audit event is not valid: /) as string },
      { id: good.id, reason: 'Audit events cannot be deleted; the chain keeps every one.' },
      {
        id: third.id,
        reason:
          'Audit event 3 does not match its own hash: it was changed after it was recorded, so the server did not store it. Tell a manager.',
      },
      {
        id: badDetail.id,
        reason: 'The detail of cash_out event 2 is not valid: reason: Say why.',
      },
    ]);
    expect(await storedCount()).toBe(1);
  });

  it('keeps the first copy of an id: another body under it is rejected', async () => {
    const chain = await extendChain(till, [], 2);
    await pushAudit(t.app, till.token, chain);
    const other = await forged(chain[1]!, { detail: { total: 0 } });
    const result = await pushAudit(t.app, till.token, [other]);
    expect(result.rejected).toEqual([
      {
        id: other.id,
        reason: `A different copy of audit event ${other.id} is already on the server; the first copy stands. Tell a manager.`,
      },
    ]);
    expect(await storedCount()).toBe(2);
    expect((await auditStatusOf(t.db, till.terminalId))?.status).toBe('ok');
  });
});

describe('POST /api/v1/sync/audit/push', () => {
  it('stores a chain, verifies it, and a repeated push changes nothing and tells no stream', async () => {
    const heard: unknown[] = [];
    t.notifier.subscribe(t.store.id, (collections) => heard.push(collections));
    const chain = await extendChain(till, [], 5);
    expect(await pushAudit(t.app, till.token, chain)).toEqual({
      accepted: chain.map((e) => e.id),
      rejected: [],
    });
    const status = await auditStatusOf(t.db, till.terminalId);
    expect(status).toMatchObject({ status: 'ok', verifiedSeq: 5, lastSeq: 5, problems: [] });
    const stored = await t.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(stored.map((row) => JSON.parse(row.body) as unknown)).toEqual(chain);

    t.clock.advance(60_000);
    expect((await pushAudit(t.app, till.token, chain)).accepted).toHaveLength(5);
    expect(await storedCount()).toBe(5);
    expect(await auditStatusOf(t.db, till.terminalId)).toEqual(status);
    expect(heard).toEqual([]);
    // Each terminal has its own chain; the store's list shows broken chains first.
    expect(await auditStatusOf(t.db, otherTill.terminalId)).toBeNull();
    const otherChain = await extendChain(otherTill, [], 3);
    await pushAudit(t.app, otherTill.token, [otherChain[0], otherChain[2]]);
    const statuses = await auditStatusesOfStore(t.db, t.store.id);
    expect(statuses.map((s) => [s.terminalId, s.status])).toEqual([
      [otherTill.terminalId, 'broken'],
      [till.terminalId, 'ok'],
    ]);
    expect(await auditStatusesOfStore(t.db, 'store-elsewhere')).toEqual([]);
  });
});
