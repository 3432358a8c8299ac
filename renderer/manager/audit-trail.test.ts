import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AUDIT_PAGE_SIZE, auditPage$, chainCheck$, describeChain } from './audit-trail.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function record(database: EntitleDatabase, count: number) {
  for (let i = 0; i < count; i++) {
    await recordAudit(database, testCredentials, {
      kind: 'sign_in',
      staffId: 'staff-1',
      subjectId: null,
      detail: { outcome: 'success' },
    });
  }
}

describe('the audit trail at the counter', () => {
  it('pages the chain latest first', async () => {
    db = await openTestDatabase();
    await record(db, AUDIT_PAGE_SIZE + 5);
    const first = await firstValueFrom(auditPage$(db, 0));
    expect(first.total).toBe(AUDIT_PAGE_SIZE + 5);
    expect(first.events.map((event) => event.seq).slice(0, 3)).toEqual([25, 24, 23]);
    expect(first.events).toHaveLength(AUDIT_PAGE_SIZE);
    const second = await firstValueFrom(auditPage$(db, 1));
    expect(second.events.map((event) => event.seq)).toEqual([5, 4, 3, 2, 1]);
  });

  it('says the chain is intact, and where it broke once an event is altered', async () => {
    db = await openTestDatabase();
    await record(db, 3);
    expect(describeChain(await firstValueFrom(chainCheck$(db)))).toBe(
      'Audit chain intact (3 events)',
    );
    const second = await db.audit_events.findOne({ selector: { seq: 2 } }).exec();
    await second?.incrementalPatch({ staffId: 'someone-else' });
    expect(describeChain(await firstValueFrom(chainCheck$(db)))).toMatch(
      /^Audit chain broken at event 2: /,
    );
  });
});
