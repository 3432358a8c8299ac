import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findOpenShift, openShift$, shiftPlace } from './open-shift.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const opening = (shiftId: string) =>
  ({
    kind: 'shift_open',
    staffId: 'staff-alex',
    subjectId: shiftId,
    detail: { float: 5000, currency: 'EUR' },
  }) as const;

describe('openShift$', () => {
  it('answers none at first, then the shift as soon as its opening is written', async () => {
    db = await openTestDatabase();
    const database = db;
    expect(await firstValueFrom(openShift$(database))).toBeNull();
    const opened = firstValueFrom(openShift$(database).pipe(filter((shift) => shift !== null)));
    await recordAudit(database, testCredentials, opening('shift-a'));
    expect(await opened).toMatchObject({ shiftId: 'shift-a', float: 5000, openSeq: 1 });
  });

  it('ignores an opening whose detail is not a float, and remembers where each shift sits', async () => {
    db = await openTestDatabase();
    await recordAudit(db, testCredentials, {
      ...opening('shift-bad'),
      detail: { float: -1, currency: 'EUR' },
    });
    expect(await findOpenShift(db)).toBeNull();
    await recordAudit(db, testCredentials, opening('shift-b'));
    expect((await findOpenShift(db))?.shiftId).toBe('shift-b');
    expect(await shiftPlace(db, 'shift-b')).toEqual({ openSeq: 2, closeSeq: null });
    expect(await shiftPlace(db, 'never-opened')).toBeNull();
  });
});
