import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { seedDemoStaff } from '../staff/demo-staff.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import { extendChain, pushAudit } from './audit-chain.test-support.ts';
import { salesWithoutAuditEvent } from './sales-without-audit.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  await seedDemoStaff(t.db, t.clock.now);
  till = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
});
afterEach(async () => {
  await t.close();
});

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('salesWithoutAuditEvent', () => {
  it('lists sales no sale event names, but not sales whose event may still be on its way, nor pre-chain sales', async () => {
    let now = at(0);
    const makeSale = saleMaker(till, () => now);
    const staff = { staffId: 'staff-demo-cashier' };
    const preChain = await makeSale(undefined, { staffId: null }); // 10:00, before v4
    now = at(10);
    const audited = await makeSale(undefined, staff);
    now = at(11);
    const eventDeleted = await makeSale(undefined, staff);
    now = at(12);
    const noStaffAfterChain = await makeSale(undefined, { staffId: null });
    now = at(30);
    const tooNew = await makeSale(undefined, staff);
    const sales = [preChain, audited, eventDeleted, noStaffAfterChain, tooNew];
    expect((await pushSales(t.app, till.token, sales)).statusCode).toBe(200);

    expect(await salesWithoutAuditEvent(t.db, till.terminalId)).toEqual([]);

    const chain = await extendChain(till, [], 3, (n) =>
      n === 1
        ? { kind: 'sign_in', subjectId: null, detail: { outcome: 'success' }, createdAt: at(9) }
        : n === 2
          ? { kind: 'sale', subjectId: audited.id, createdAt: at(10) }
          : // A void naming the deleted sale's id does not stand in for its sale event.
            { kind: 'void', subjectId: eventDeleted.id, createdAt: at(20) },
    );
    await pushAudit(t.app, till.token, chain);
    expect(await salesWithoutAuditEvent(t.db, till.terminalId)).toEqual([
      {
        saleId: eventDeleted.id,
        receiptNumber: eventDeleted.receiptNumber,
        createdAt: at(11),
        staffId: 'staff-demo-cashier',
      },
      {
        saleId: noStaffAfterChain.id,
        receiptNumber: noStaffAfterChain.receiptNumber,
        createdAt: at(12),
        staffId: null,
      },
    ]);

    // Another terminal's events say nothing about this terminal's sales.
    const other = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id), 'Till 2');
    await pushAudit(
      t.app,
      other.token,
      await extendChain(other, [], 1, () => ({ subjectId: eventDeleted.id, createdAt: at(40) })),
    );
    expect(await salesWithoutAuditEvent(t.db, till.terminalId)).toHaveLength(2);
    expect(await salesWithoutAuditEvent(t.db, other.terminalId)).toEqual([]);
  });
});
