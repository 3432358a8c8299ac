import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  PENDING_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../../shared/schemas/protocol.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, syncHeaders } from '../test-support/sales.ts';
import { revokeTerminal } from './revoke.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
});
afterEach(async () => {
  await t.close();
});

const PULL = `${API_PREFIX}/sync/products/pull`;

describe('sync authentication', () => {
  it('answers 426 to a POS without a protocol version or with one too old', async () => {
    for (const version of [undefined, '0', 'one', '']) {
      const headers: Record<string, string> = { authorization: `Bearer ${till.token}` };
      if (version !== undefined) headers[PROTOCOL_HEADER] = version;
      const response = await t.app.inject({ url: PULL, headers });
      expect(response.statusCode).toBe(426);
      expect(response.json()).toEqual({
        error: 'upgrade_required',
        message:
          'This POS is too old for the server. Update the app; your unsynced sales are kept.',
      });
    }
  });

  it('answers 401 without a token, with a wrong one or with a malformed header', async () => {
    const withoutToken = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
    for (const headers of [
      withoutToken,
      syncHeaders('not-the-token-at-all-but-long-enough-00000'),
      { ...withoutToken, authorization: till.token },
    ]) {
      const response = await t.app.inject({ url: PULL, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: 'unauthorized',
        message:
          'This terminal is not enrolled with this server. Enrol it again with a pairing code.',
      });
    }
  });

  it('refuses a revoked terminal on its next request', async () => {
    expect((await t.app.inject({ url: PULL, headers: syncHeaders(till.token) })).statusCode).toBe(
      200,
    );
    expect(await revokeTerminal(t.db, till.terminalId, t.clock.now)).toBe(true);
    expect(await revokeTerminal(t.db, till.terminalId, t.clock.now)).toBe(false);
    const response = await t.app.inject({ url: PULL, headers: syncHeaders(till.token) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'terminal_revoked',
      message: 'This terminal was revoked by a manager. Ask a manager to enrol it again.',
    });
  });

  it('records when a terminal was last seen, at most once a minute', async () => {
    const lastSeen = async () =>
      (await t.db.selectFrom('terminals').select('last_seen_at').executeTakeFirstOrThrow())
        .last_seen_at;
    expect(await lastSeen()).toBeNull();
    await t.app.inject({ url: PULL, headers: syncHeaders(till.token) });
    expect(await lastSeen()).toBe('2026-11-26T10:00:00.000Z');
    t.clock.advance(30_000);
    await t.app.inject({ url: PULL, headers: syncHeaders(till.token) });
    expect(await lastSeen()).toBe('2026-11-26T10:00:00.000Z');
    t.clock.advance(30_000);
    await t.app.inject({ url: PULL, headers: syncHeaders(till.token) });
    expect(await lastSeen()).toBe('2026-11-26T10:01:00.000Z');
  });

  it('keeps the backlog a terminal reports with each request, at once when it changes', async () => {
    const health = () =>
      t.db
        .selectFrom('terminals')
        .select(['reported_pending', 'reported_pending_at'])
        .executeTakeFirstOrThrow();
    const pull = (pending: string | undefined) =>
      t.app.inject({
        url: PULL,
        headers: {
          ...syncHeaders(till.token),
          ...(pending === undefined ? {} : { [PENDING_HEADER]: pending }),
        },
      });
    await pull('12');
    expect(await health()).toEqual({
      reported_pending: 12,
      reported_pending_at: '2026-11-26T10:00:00.000Z',
    });
    t.clock.advance(5_000);
    await pull('3');
    expect(await health()).toEqual({
      reported_pending: 3,
      reported_pending_at: '2026-11-26T10:00:05.000Z',
    });
    // Nonsense and an absent header change nothing.
    for (const odd of ['-1', 'many', '99999999', undefined]) {
      expect((await pull(odd)).statusCode).toBe(200);
    }
    expect((await health()).reported_pending).toBe(3);
  });

  it('remembers the last document it refused from a terminal, with the reason', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/sales/push`,
      headers: syncHeaders(till.token),
      payload: { rows: [{ newDocumentState: { id: 'broken-sale', _deleted: false } }] },
    });
    expect(response.json<{ rejected: unknown[] }>().rejected).toHaveLength(1);
    const row = await t.db
      .selectFrom('terminals')
      .select(['last_refusal', 'last_refusal_at'])
      .executeTakeFirstOrThrow();
    expect(row.last_refusal).toMatch(/^sale broken-sale: /);
    expect(row.last_refusal_at).toBe('2026-11-26T10:00:00.000Z');
  });
});
