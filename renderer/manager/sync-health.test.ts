import { Subject, firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { backlog$, nextBacklog, pendingDocuments$, uploadedPercent } from './sync-health.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('the backlog upload', () => {
  it('starts when documents wait, keeps its peak as they upload, ends when none are left', () => {
    let backlog = nextBacklog(null, 40);
    expect(backlog).toEqual({ peak: 40, pending: 40 });
    expect(uploadedPercent(backlog ?? { peak: 0, pending: 0 })).toBe(0);
    backlog = nextBacklog(backlog, 10);
    expect(backlog).toEqual({ peak: 40, pending: 10 });
    expect(uploadedPercent(backlog ?? { peak: 0, pending: 0 })).toBe(75);
    // A sale made during the upload raises the peak instead of moving the bar backwards.
    backlog = nextBacklog(backlog, 45);
    expect(backlog?.peak).toBe(45);
    expect(nextBacklog(backlog, 0)).toBeNull();
  });

  it('follows a stream of pending counts', async () => {
    const counts = new Subject<number>();
    const seen = firstValueFrom(backlog$(counts).pipe(take(4), toArray()));
    for (const count of [0, 8, 2, 0]) counts.next(count);
    expect(await seen).toEqual([null, { peak: 8, pending: 8 }, { peak: 8, pending: 2 }, null]);
  });
});

describe('pendingDocuments$', () => {
  it('counts audit events as well as sales until each is acknowledged', async () => {
    db = await openTestDatabase();
    const signIn = {
      kind: 'sign_in',
      staffId: 'staff-1',
      subjectId: null,
      detail: { outcome: 'success' },
    } as const;
    const first = await recordAudit(db, testCredentials, signIn);
    await recordAudit(db, testCredentials, signIn);
    expect(await firstValueFrom(pendingDocuments$(db))).toBe(2);
    await db.sync_acks.insert({ id: first.id, outcome: 'accepted', at: first.createdAt });
    expect(await firstValueFrom(pendingDocuments$(db))).toBe(1);
  });
});
