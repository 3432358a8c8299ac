import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { ShiftCloseDetail } from '../../shared/shift/shift-events.ts';
import { extendChain, forged, pushAudit } from '../audit/audit-chain.test-support.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal } from '../test-support/sales.ts';
import { shiftRowOf, shiftsOfStore } from './project-shift.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
});
afterEach(async () => {
  await t.close();
});

const CLOSE: ShiftCloseDetail = {
  counts: '5000x2,1000x3',
  countedCash: 13_000,
  expectedCash: 13_300,
  variance: -300,
  salesCount: 2,
  salesTotal: 5_000,
  firstReceipt: 'AAAA-000001',
  lastReceipt: 'AAAA-000002',
};

/** open (float 100.00 by Alex), sale, cash in 5.00, cash out 2.00, cash out 1.00, close by Morgan. */
async function shiftChain(): Promise<AuditEvent[]> {
  const minute = (n: number) => `2026-11-26T1${String(n)}:00:00.000Z`;
  return extendChain(till, [], 6, (n) => {
    const base = { subjectId: 'shift-1', staffId: 'staff-alex', createdAt: minute(n) };
    switch (n) {
      case 1:
        return { ...base, kind: 'shift_open', detail: { float: 10_000, currency: 'EUR' } };
      case 2:
        return { kind: 'sale', subjectId: 'sale-1', createdAt: minute(n) };
      case 3:
        return { ...base, kind: 'cash_in', detail: { amount: 500, reason: 'Change from bank' } };
      case 4:
        return { ...base, kind: 'cash_out', detail: { amount: 200, reason: 'Window cleaner' } };
      case 5:
        return { ...base, kind: 'cash_out', detail: { amount: 100, reason: 'Stamps' } };
      default:
        return { ...base, kind: 'shift_close', staffId: 'staff-morgan', detail: CLOSE };
    }
  });
}

const projected = async () =>
  t.db.selectFrom('shifts').selectAll().where('id', '=', 'shift-1').executeTakeFirst();

describe('shift projection', () => {
  it('makes the shift row from its open, cash moves and close', async () => {
    await pushAudit(t.app, till.token, await shiftChain());
    expect(await shiftsOfStore(t.db, t.store.id)).toEqual([
      {
        id: 'shift-1',
        storeId: t.store.id,
        terminalId: till.terminalId,
        openedBy: 'staff-alex',
        openedAt: '2026-11-26T11:00:00.000Z',
        float: 10_000,
        cashIn: 500,
        cashOut: 300,
        closedBy: 'staff-morgan',
        closedAt: '2026-11-26T16:00:00.000Z',
        close: CLOSE,
      },
    ]);
  });

  it('is the same whatever the order of arrival, and a repeated push counts nothing twice', async () => {
    const chain = await shiftChain();
    // The close first: a row from what is known, filled in as the rest arrives.
    await pushAudit(t.app, till.token, [chain[5]!]);
    expect(await projected()).toMatchObject({
      opened_by: null,
      opened_at: '2026-11-26T16:00:00.000Z',
      float: 0,
      cash_in: 0,
      cash_out: 0,
      closed_by: 'staff-morgan',
      close_detail: JSON.stringify(CLOSE),
    });
    await pushAudit(t.app, till.token, [chain[3]!, chain[2]!]);
    await pushAudit(t.app, till.token, [chain[0]!, chain[1]!, chain[4]!]);
    const inOrder = await projected();
    await pushAudit(t.app, till.token, chain);
    await pushAudit(t.app, till.token, chain);
    expect(await projected()).toEqual(inOrder);
    expect(inOrder).toMatchObject({ float: 10_000, cash_in: 500, cash_out: 300 });
  });

  it('does not count a forked cash move twice, and ignores events of no shift', async () => {
    const chain = await shiftChain();
    await pushAudit(t.app, till.token, chain);
    const fork = await forged(chain[3]!, { id: 'fork-4', detail: { amount: 9_999, reason: 'x' } });
    await pushAudit(t.app, till.token, [fork]);
    expect((await projected())?.cash_out).toBe(300);
    expect(await t.db.selectFrom('shifts').select('id').execute()).toHaveLength(1);
  });

  it('shiftRowOf: nothing known, nothing to project', () => {
    expect(shiftRowOf('shift-x', [])).toBeNull();
  });
});
