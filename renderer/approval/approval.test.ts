import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPin, type PinHash } from '../../shared/staff/pin.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { approveWithPin } from './approve.ts';
import {
  discountApproval,
  discountNeedsApproval,
  forgetDiscountApproval,
  rememberDiscountApproval,
} from './discount-approval.ts';

const T0 = 1_800_000_000_000;
let pinHash: PinHash;
beforeAll(async () => {
  pinHash = await hashPin('1379', { iterations: 1_000 });
});
let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const morgan = () => ({ id: 'staff-morgan', pinHash, active: true, role: 'manager' as const });
const request = { action: 'void', subjectId: 'void-1', requestedBy: 'staff-alex' } as const;

describe('manager approval', () => {
  it('the right manager PIN approves and records who approved what for whom', async () => {
    const result = await approveWithPin(
      db,
      testCredentials,
      { ...request, manager: morgan(), pin: '1379' },
      () => T0,
    );
    expect(result).toEqual({ outcome: 'success' });
    const events = (await db.audit_events.find().exec()).map((doc) => doc.toMutableJSON());
    expect(events.map((e) => [e.kind, e.staffId, e.subjectId, e.detail])).toEqual([
      ['approval', 'staff-morgan', 'void-1', { action: 'void', requestedBy: 'staff-alex' }],
    ]);
  });

  it('a wrong PIN approves nothing and counts towards the manager’s lockout', async () => {
    const wrong = await approveWithPin(
      db,
      testCredentials,
      { ...request, manager: morgan(), pin: '9999' },
      () => T0,
    );
    expect(wrong).toMatchObject({ outcome: 'wrong_pin', triesLeft: 4 });
    expect(await db.audit_events.count().exec()).toBe(0);
  });

  it('a cashier cannot approve, whatever PIN they type', async () => {
    const cashier = { ...morgan(), id: 'staff-alex', role: 'cashier' as const };
    const result = await approveWithPin(
      db,
      testCredentials,
      { ...request, manager: cashier, pin: '1379' },
      () => T0,
    );
    expect(result).toEqual({ outcome: 'not_a_manager' });
    expect(await db.audit_events.count().exec()).toBe(0);
  });
});

describe('discounts above the store limit', () => {
  const limit = 10_000; // 10 %
  it('a percent discount needs approval only above the limit', () => {
    expect(discountNeedsApproval({ kind: 'percent', milliPercent: 10_000 }, 5000, limit)).toBe(
      false,
    );
    expect(discountNeedsApproval({ kind: 'percent', milliPercent: 10_001 }, 5000, limit)).toBe(
      true,
    );
  });

  it('an amount discount needs approval when its share of the base is above the limit', () => {
    expect(discountNeedsApproval({ kind: 'amount', amount: 500 }, 5000, limit)).toBe(false);
    expect(discountNeedsApproval({ kind: 'amount', amount: 501 }, 5000, limit)).toBe(true);
    expect(discountNeedsApproval({ kind: 'amount', amount: 100 }, 0, limit)).toBe(false);
  });

  it('a limit of 0 asks for every discount; 100 % asks for none', () => {
    expect(discountNeedsApproval({ kind: 'amount', amount: 1 }, 5000, 0)).toBe(true);
    expect(discountNeedsApproval({ kind: 'percent', milliPercent: 100_000 }, 10, 100_000)).toBe(
      false,
    );
  });

  it('the approving manager is kept for the sale, then forgotten', async () => {
    expect(await discountApproval(db)).toBeNull();
    await rememberDiscountApproval(db, 'staff-morgan');
    expect(await discountApproval(db)).toBe('staff-morgan');
    await forgetDiscountApproval(db);
    expect(await discountApproval(db)).toBeNull();
    await forgetDiscountApproval(db);
  });
});
