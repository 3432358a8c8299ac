import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { recordAudit } from '../../renderer/audit/record-audit.ts';
import type { EntitleDatabase } from '../../renderer/data/database.ts';
import { openTestDatabase } from '../../renderer/data/test-database.ts';
import { startSync, type SyncController } from '../../renderer/sync/replication.ts';
import { auditStatusOf } from '../../sync-server/audit/verify-terminal.ts';
import { revokeTerminalNow } from '../../sync-server/auth/revoke.ts';
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import { seedDemoStaff } from '../../sync-server/staff/demo-staff.ts';
import { createTestApp, type TestApp } from '../../sync-server/test-support/harness.ts';
import { enrolTerminal } from '../../sync-server/test-support/sales.ts';

/**
 * The counter's own audit recorder and replication against the server in-process: the events a
 * counter hashes are the events the server verifies, staff and settings arrive at the counter,
 * and a revoked terminal hears it on its live stream, not at its next request.
 */

let t: TestApp;
let db: EntitleDatabase;
let sync: SyncController | null = null;
let credentials: TerminalCredentials;

beforeEach(async () => {
  t = await createTestApp({ demo: true });
  await seedDemoStaff(t.db, t.clock.now);
  const enrolled = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
  const serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  credentials = { ...enrolled, serverUrl };
  db = await openTestDatabase();
});
afterEach(async () => {
  await sync?.stop();
  sync = null;
  await db.close();
  await t.close();
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('audit, staff and settings between a counter and the server', () => {
  it("the counter's chain arrives verified, its shift is projected, staff and settings are pulled", async () => {
    sync = startSync(db, credentials, { retryMs: 300 });
    await waitFor(async () => (await db.staff.count().exec()) === 3, 'the demo staff');
    await waitFor(async () => (await db.settings.count().exec()) === 1, 'the store settings');

    const record = (kind: Parameters<typeof recordAudit>[2]['kind'], detail: object) =>
      recordAudit(db, credentials, {
        kind,
        staffId: 'staff-demo-cashier',
        subjectId: kind === 'sign_in' ? null : 'shift-it-1',
        detail: detail as Parameters<typeof recordAudit>[2]['detail'],
      });
    await record('sign_in', { outcome: 'success' });
    await record('shift_open', { float: 15_000, currency: 'EUR' });
    await record('cash_out', { amount: 1_000, reason: 'Milk for the staff room' });
    await waitFor(
      async () => (await t.db.selectFrom('audit_events').select('id').execute()).length === 3,
      'the audit events on the server',
    );
    expect(await auditStatusOf(t.db, credentials.terminalId)).toMatchObject({
      status: 'ok',
      verifiedSeq: 3,
      problems: [],
    });
    const shift = await t.db
      .selectFrom('shifts')
      .selectAll()
      .where('id', '=', 'shift-it-1')
      .executeTakeFirstOrThrow();
    expect(shift).toMatchObject({
      float: 15_000,
      cash_out: 1_000,
      opened_by: 'staff-demo-cashier',
    });
    // The server commits before it answers: the counter records the acknowledgements just after.
    await waitFor(async () => (await db.sync_acks.count().exec()) === 3, 'the acknowledgements');
    const acks = await db.sync_acks.find().exec();
    expect(acks.map((ack) => ack.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('a terminal revoked while connected is told on its live stream at once', async () => {
    // Every request the counter makes, so the test can tell the stream's word from a refusal.
    const requests: { url: string; at: number }[] = [];
    const fetchLogged: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requests.push({ url, at: performance.now() });
      return fetch(input, init);
    };
    sync = startSync(db, credentials, { retryMs: 300, fetch: fetchLogged });
    const controller = sync;
    await firstValueFrom(
      controller.status.status$.pipe(
        filter((status) => status.online),
        timeout(10_000),
      ),
    );
    await controller.awaitInSync();
    const revoked = firstValueFrom(
      controller.status.status$.pipe(
        filter((status) => status.revoked),
        timeout(3_000),
      ),
    );
    const revokedAt = performance.now();
    await revokeTerminalNow(
      { db: t.db, clock: t.clock.now, notifier: t.notifier },
      credentials.terminalId,
    );
    expect((await revoked).revoked).toBe(true);
    const toldAt = performance.now();
    // Nothing the counter asked after the revocation told it: the stream did.
    expect(requests.filter((r) => r.at > revokedAt && r.at < toldAt)).toEqual([]);
    // Stopping in the same tick as the revoked event returns at once (the stream's reader is
    // cancelled on abort, and a revoked terminal does not wait to reconnect).
    await controller.stop();
    sync = null;
  });
});
