import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EscPosPrintRequest, PrintResult } from '../../electron/bridge-contract.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { openDrawerWithoutSale } from './open-drawer.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

function fakeBridge(result: PrintResult) {
  const sent: EscPosPrintRequest[] = [];
  return {
    sent,
    printEscPos: (request: EscPosPrintRequest) => {
      sent.push(request);
      return Promise.resolve(result);
    },
  };
}

const input = {
  staffId: 'staff-alex',
  shiftId: 'shift-1',
  reason: 'Change for the float',
  approvedBy: 'staff-morgan',
};
const network = { kind: 'network', host: '10.0.0.9', port: 9100, columns: 48 } as const;

async function events() {
  return (await db.audit_events.find().exec()).map((doc) => doc.toMutableJSON());
}

describe('opening the drawer without a sale', () => {
  it('kicks the drawer through the network printer and records who, why and who approved', async () => {
    const bridge = fakeBridge({ ok: true });
    const result = await openDrawerWithoutSale(
      { db, credentials: testCredentials, bridge, printer: network },
      input,
    );
    expect(result.kicked).toBe(true);
    expect(bridge.sent.map((request) => [request.host, request.port])).toEqual([
      ['10.0.0.9', 9100],
    ]);
    expect((await events()).map((e) => [e.kind, e.staffId, e.subjectId, e.detail])).toEqual([
      [
        'drawer_open',
        'staff-alex',
        'shift-1',
        { reason: 'Change for the float', approvedBy: 'staff-morgan' },
      ],
    ]);
  });

  it('without a network printer, or when it fails, says to use the key and still records it', async () => {
    const none = await openDrawerWithoutSale(
      {
        db,
        credentials: testCredentials,
        bridge: fakeBridge({ ok: true }),
        printer: { kind: 'none' },
      },
      input,
    );
    expect(none.kicked).toBe(false);
    const failed = await openDrawerWithoutSale(
      {
        db,
        credentials: testCredentials,
        bridge: fakeBridge({ ok: false, message: 'The printer did not answer.' }),
        printer: network,
      },
      input,
    );
    expect(failed).toEqual({
      kicked: false,
      message:
        'The drawer did not open: The printer did not answer. Open it with its key; the opening is recorded.',
    });
    expect(await events()).toHaveLength(2);
  });

  it('refuses an empty reason and records nothing', async () => {
    await expect(
      openDrawerWithoutSale(
        { db, credentials: testCredentials, bridge: fakeBridge({ ok: true }), printer: network },
        { ...input, reason: '  ' },
      ),
    ).rejects.toThrow();
    expect(await events()).toHaveLength(0);
  });
});
