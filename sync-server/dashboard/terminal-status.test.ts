import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX, PENDING_HEADER } from '../../shared/schemas/protocol.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, syncHeaders } from '../test-support/sales.ts';
import { squash } from '../test-support/portal.ts';
import { terminalStatuses } from './terminal-status.ts';
import { signedInAs } from './test-kit.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode(), 'Front till');
});
afterEach(async () => {
  await t.close();
});

const statusOfTill = async () => {
  const [status] = await terminalStatuses(t.db, [till.storeId], t.clock.now);
  return status;
};

describe('what the dashboard knows of a till', () => {
  it('has no backlog and no refusal before the till has said anything', async () => {
    const status = await statusOfTill();
    expect(status?.pending).toBeNull();
    expect(status?.lastRefusal).toBeNull();
  });

  it('shows the backlog the till reported and the last document refused, as a problem for a day', async () => {
    await t.app.inject({
      url: `${API_PREFIX}/sync/products/pull`,
      headers: { ...syncHeaders(till.token), [PENDING_HEADER]: '4' },
    });
    await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/voids/push`,
      headers: syncHeaders(till.token),
      payload: { rows: [{ newDocumentState: { id: 'void-x', _deleted: false } }] },
    });
    const status = await statusOfTill();
    expect(status?.pending).toEqual({ count: 4, at: '2026-11-26T10:00:00.000Z' });
    expect(status?.lastRefusal?.text).toMatch(/^void void-x: /);
    expect(status?.problems.join(' ')).toContain('Refused a document in the last day: void void-x');

    const page = squash((await (await signedInAs(t, 'manager')).get('/dashboard/terminals')).body);
    expect(page).toContain('4 waiting');
    expect(page).toContain('Last refused');
    expect(page).toContain('void void-x:');

    t.clock.advance(25 * 3_600_000);
    const later = await statusOfTill();
    expect(later?.lastRefusal?.text).toMatch(/^void void-x/);
    expect(later?.problems.join(' ')).not.toContain('Refused a document');
  });
});
