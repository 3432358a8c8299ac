import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import { hashPin, type PinHash } from '../../shared/staff/pin.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { clearLockout, lockedUntilFor, lockoutDocId } from './pin-check.ts';
import { recordSignOut, signInWithPin } from './sign-in.ts';

const T0 = 1_800_000_000_000;
let pinHash: PinHash;
beforeAll(async () => {
  pinHash = await hashPin('2580', { iterations: 1_000 });
});

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const member = () => ({ id: 'staff-alex', pinHash, active: true });

async function auditTrail() {
  const docs = await db.audit_events.find({ sort: [{ seq: 'asc' }] }).exec();
  return docs.map((doc) => doc.toMutableJSON());
}

describe('signing in with a PIN at the counter', () => {
  it('a wrong PIN says how many tries are left; the right one signs in; both are audited', async () => {
    const wrong = await signInWithPin(db, testCredentials, member(), '1111', () => T0);
    expect(wrong).toEqual({ outcome: 'wrong_pin', triesLeft: 4, nextLockMs: 30_000 });
    const right = await signInWithPin(db, testCredentials, member(), '2580', () => T0);
    expect(right).toEqual({ outcome: 'success' });
    const events = await auditTrail();
    expect(events.map((event) => [event.kind, event.staffId, event.detail])).toEqual([
      ['sign_in', 'staff-alex', { outcome: 'wrong_pin' }],
      ['sign_in', 'staff-alex', { outcome: 'success' }],
    ]);
    expect((await verifyAuditChain(events)).ok).toBe(true);
  });

  it('the fifth wrong PIN locks; while locked even the right PIN is refused unchecked', async () => {
    for (let i = 0; i < 4; i++)
      await signInWithPin(db, testCredentials, member(), '1111', () => T0);
    expect(await signInWithPin(db, testCredentials, member(), '1111', () => T0)).toEqual({
      outcome: 'locked',
      until: T0 + 30_000,
    });
    expect(await signInWithPin(db, testCredentials, member(), '2580', () => T0 + 1_000)).toEqual({
      outcome: 'locked',
      until: T0 + 30_000,
    });
    expect((await auditTrail()).at(-1)?.detail).toEqual({ outcome: 'locked' });
    // After the lock the right PIN works again.
    expect(await signInWithPin(db, testCredentials, member(), '2580', () => T0 + 30_000)).toEqual({
      outcome: 'success',
    });
  });

  it('the lock is kept in the database, so a reload does not reset it; a manager clears it', async () => {
    for (let i = 0; i < 5; i++)
      await signInWithPin(db, testCredentials, member(), '1111', () => T0);
    expect(await db.getLocal(lockoutDocId('staff-alex'))).not.toBeNull();
    expect(await lockedUntilFor(db, 'staff-alex', T0 + 10_000)).toBe(T0 + 30_000);
    await clearLockout(db, 'staff-alex');
    expect(await lockedUntilFor(db, 'staff-alex', T0 + 10_000)).toBeNull();
  });

  it('a member who is inactive or has no PIN never signs in', async () => {
    const inactive = { ...member(), active: false };
    expect((await signInWithPin(db, testCredentials, inactive, '2580', () => T0)).outcome).toBe(
      'wrong_pin',
    );
    const noPin = { ...member(), pinHash: null };
    expect((await signInWithPin(db, testCredentials, noPin, '2580', () => T0)).outcome).toBe(
      'wrong_pin',
    );
  });

  it('signing out, by hand or by the idle lock, is audited with its reason', async () => {
    await recordSignOut(db, testCredentials, 'staff-alex', 'manual');
    await recordSignOut(db, testCredentials, 'staff-alex', 'idle_lock');
    expect((await auditTrail()).map((event) => [event.kind, event.detail])).toEqual([
      ['sign_out', { outcome: 'manual' }],
      ['sign_out', { outcome: 'idle_lock' }],
    ]);
  });
});
