import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import { auditEventId, recordAudit } from './record-audit.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const signIn = {
  kind: 'sign_in',
  staffId: 'staff-1',
  subjectId: null,
  detail: { outcome: 'success' },
} as const;

async function chain(database: EntitleDatabase) {
  const docs = await database.audit_events.find({ sort: [{ seq: 'asc' }] }).exec();
  return docs.map((doc) => doc.toMutableJSON());
}

describe('recording audit events at the counter', () => {
  it('appends a verifiable chain, numbered from 1, with ids of terminal and seq', async () => {
    db = await openTestDatabase();
    for (let i = 0; i < 3; i++) await recordAudit(db, testCredentials, signIn);
    const events = await chain(db);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events[2]?.id).toBe(auditEventId(testCredentials.terminalId, 3));
    expect((await verifyAuditChain(events)).ok).toBe(true);
  });

  it('never forks when several appends race (two windows at once)', async () => {
    db = await openTestDatabase();
    const database = db;
    await Promise.all(
      Array.from({ length: 8 }, () => recordAudit(database, testCredentials, signIn)),
    );
    const events = await chain(database);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await verifyAuditChain(events)).ok).toBe(true);
  });

  it('walks past events its tail hint has not heard of', async () => {
    db = await openTestDatabase();
    await recordAudit(db, testCredentials, signIn);
    await db.upsertLocal('audit-tail', { seq: 0 });
    const next = await recordAudit(db, testCredentials, signIn);
    expect(next.seq).toBe(2);
    expect((await verifyAuditChain(await chain(db))).ok).toBe(true);
  });
});
