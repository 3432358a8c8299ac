import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal } from '../test-support/sales.ts';
import { extendChain, forged, pushAudit } from './audit-chain.test-support.ts';
import {
  auditStatusOf,
  MAX_KEPT_PROBLEMS,
  verifyTerminal,
  type AuditStatus,
} from './verify-terminal.ts';

/**
 * The tampering test: events altered, deleted, re-ordered and forked, both in what a
 * terminal pushes and in the server's own table, each found and reported at the right seq.
 */

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
});
afterEach(async () => {
  await t.close();
});

const problemsOf = (status: AuditStatus | null) =>
  status?.problems.map((p) => [p.kind, p.seq]) ?? null;
const status = () => auditStatusOf(t.db, till.terminalId);
const terminal = () => ({ id: till.terminalId, storeId: till.storeId });
/** What a person asking "verify this terminal again from the start" gets. */
const reverify = () => verifyTerminal(t.db, terminal(), t.clock.now, { full: true });

describe('tampering in pushed batches', () => {
  it('an altered event is refused with its seq, and its place stays a gap', async () => {
    const chain = await extendChain(till, [], 10);
    const batch: AuditEvent[] = [...chain];
    batch[6] = { ...chain[6]!, detail: { total: 1 } };
    const result = await pushAudit(t.app, till.token, batch);
    expect(result.rejected).toEqual([
      {
        id: chain[6]!.id,
        reason: expect.stringMatching(/^Audit event 7 does not match/) as string,
      },
    ]);
    expect(problemsOf(await status())).toEqual([['gap', 7]]);
    expect((await status())?.verifiedSeq).toBe(6);
  });

  it('an altered event with its hash recomputed is stored and breaks the next link', async () => {
    const chain = await extendChain(till, [], 15);
    const batch = [...chain];
    batch[11] = await forged(chain[11]!, { detail: { total: 0 } });
    expect((await pushAudit(t.app, till.token, batch)).rejected).toEqual([]);
    const found = await status();
    expect(problemsOf(found)).toEqual([['broken-link', 13]]);
    expect(found?.status).toBe('broken');
    // A broken link is final: the prefix passes it, and keeps it listed.
    expect(found?.verifiedSeq).toBe(15);
    expect(found?.problems[0]?.message).toBe(
      'Event 13 does not follow event 12: event 12 was replaced after event 13 was recorded.',
    );
  });

  it('a deleted event is a gap at its seq', async () => {
    const chain = await extendChain(till, [], 12);
    await pushAudit(
      t.app,
      till.token,
      chain.filter((e) => e.seq !== 10),
    );
    expect(problemsOf(await status())).toEqual([['gap', 10]]);
    expect((await status())?.problems[0]?.message).toBe(
      'Event 10 is missing: deleted, or never received.',
    );
  });

  it('events swapped and renumbered on the terminal break the links at their seqs', async () => {
    const chain = await extendChain(till, [], 8);
    const batch = [...chain];
    batch[3] = await forged(chain[4]!, { id: chain[3]!.id, seq: 4, prevHash: chain[2]!.hash });
    batch[4] = await forged(chain[3]!, { id: chain[4]!.id, seq: 5, prevHash: chain[3]!.hash });
    await pushAudit(t.app, till.token, batch);
    // 4 now links to 3, but 5 points at the original 4 and 6 at the original 5.
    expect(problemsOf(await status())).toEqual([
      ['broken-link', 5],
      ['broken-link', 6],
    ]);
  });

  it('a fork (a second event claiming a taken seq) is stored and flagged, in one batch or later', async () => {
    const chain = await extendChain(till, [], 6);
    await pushAudit(t.app, till.token, chain);
    expect((await status())?.verifiedSeq).toBe(6);
    // Long after event 3 was verified, another event claims seq 3.
    const fork = await forged(chain[2]!, { id: 'fork-3', detail: { total: 7 } });
    expect((await pushAudit(t.app, till.token, [fork])).accepted).toEqual(['fork-3']);
    const found = await status();
    expect(problemsOf(found)).toEqual([['duplicate', 3]]);
    expect(found?.verifiedSeq).toBe(6);
    expect(found?.problems[0]?.message).toBe(
      'Two different events both claim to be event 3: the chain was forked or rewritten.',
    );
    // The chain as first received stays the chain: no broken link is reported at 4.
    const more = await extendChain(till, chain, 2);
    await pushAudit(t.app, till.token, more.slice(6));
    // Later checks start after the fork (verifying costs no more) and still report it.
    expect(problemsOf(await status())).toEqual([['duplicate', 3]]);
    expect(await status()).toMatchObject({ status: 'broken', verifiedSeq: 8, lastSeq: 8 });
    expect(
      (await t.db.selectFrom('audit_events').select('id').where('seq', '=', 3).execute()).length,
    ).toBe(2);
  });

  it('a fork at the end of what was verified is decided by the event that follows', async () => {
    const chain = await extendChain(till, [], 5);
    await pushAudit(t.app, till.token, chain);
    // Both claim seq 5 and both point at event 4: only event 6 can tell which is the chain.
    await pushAudit(t.app, till.token, [await forged(chain[4]!, { id: 'fork-5', detail: {} })]);
    expect(problemsOf(await status())).toEqual([['duplicate', 5]]);
    await pushAudit(t.app, till.token, (await extendChain(till, chain, 1)).slice(5));
    expect(problemsOf(await status())).toEqual([['duplicate', 5]]);
    expect((await status())?.verifiedSeq).toBe(6);
  });

  it('a rewritten tail sent in the same batch as the original is a fork at its first seq', async () => {
    const chain = await extendChain(till, [], 5);
    const rewritten = await extendChain(till, chain.slice(0, 3), 2, (n) => ({
      id: `rewrite-${n}`,
      detail: { total: 1 },
    }));
    await pushAudit(t.app, till.token, [...chain, ...rewritten.slice(3)]);
    expect(problemsOf(await status())).toEqual([
      ['duplicate', 4],
      ['duplicate', 5],
    ]);
  });

  it('a long rewritten tail keeps the earliest problems only, and the chain stays broken', async () => {
    const chain = await extendChain(till, [], MAX_KEPT_PROBLEMS + 20);
    await pushAudit(t.app, till.token, chain.slice(0, 100));
    await pushAudit(t.app, till.token, chain.slice(100, 200));
    await pushAudit(t.app, till.token, chain.slice(200));
    const rewritten = await extendChain(till, chain.slice(0, 10), MAX_KEPT_PROBLEMS + 10, (n) => ({
      id: `rewrite-${n}`,
      detail: { total: 1 },
    }));
    for (let i = 10; i < rewritten.length; i += 100) {
      await pushAudit(t.app, till.token, rewritten.slice(i, i + 100));
    }
    const found = await status();
    expect(found?.status).toBe('broken');
    expect(found?.problems).toHaveLength(MAX_KEPT_PROBLEMS);
    expect(problemsOf(found)?.[0]).toEqual(['duplicate', 11]);
    expect(found?.verifiedSeq).toBe(MAX_KEPT_PROBLEMS + 20);
    // Over 800 signed events through nine pushes: seconds of work, more on a loaded CI machine.
  }, 60_000);
});

describe('out-of-order delivery heals', () => {
  it('a gap filled by a later batch, and a batch in any order, end as ok', async () => {
    const chain = await extendChain(till, [], 9);
    await pushAudit(t.app, till.token, chain.slice(0, 3));
    await pushAudit(t.app, till.token, [chain[7]!, chain[5]!, chain[6]!, chain[8]!]);
    const waiting = await status();
    expect(waiting).toMatchObject({ status: 'broken', verifiedSeq: 3, lastSeq: 9 });
    expect(problemsOf(waiting)).toEqual([['gap', 4]]);
    expect(waiting?.problems[0]?.message).toBe(
      'Events 4–5 are missing: deleted, or never received.',
    );
    await pushAudit(t.app, till.token, [chain[4]!, chain[3]!]);
    expect(await status()).toMatchObject({
      status: 'ok',
      verifiedSeq: 9,
      lastSeq: 9,
      problems: [],
    });
  });
});

describe('healing keeps what is final', () => {
  it('a filled gap heals while a broken link after it stays, and later pushes keep it', async () => {
    const chain = await extendChain(till, [], 10);
    const batch = [...chain];
    batch[6] = await forged(chain[6]!, { detail: { total: 0 } }); // breaks the link at 8
    await pushAudit(t.app, till.token, [...batch.slice(0, 3), ...batch.slice(5)]);
    expect(problemsOf(await status())).toEqual([
      ['gap', 4],
      ['broken-link', 8],
    ]);
    await pushAudit(t.app, till.token, batch.slice(3, 5));
    expect(problemsOf(await status())).toEqual([['broken-link', 8]]);
    await pushAudit(t.app, till.token, (await extendChain(till, chain, 2)).slice(10));
    expect(await status()).toMatchObject({ verifiedSeq: 12, status: 'broken' });
    expect(problemsOf(await status())).toEqual([['broken-link', 8]]);
  });
});

describe('tampering in the stored table', () => {
  beforeEach(async () => {
    await pushAudit(t.app, till.token, await extendChain(till, [], 10));
    expect(await status()).toMatchObject({ status: 'ok', verifiedSeq: 10 });
  });

  it('an edited body is altered at its seq', async () => {
    const row = await t.db
      .selectFrom('audit_events')
      .select('body')
      .where('seq', '=', 4)
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('audit_events')
      .set({ body: row.body.replace('"total":400', '"total":1') })
      .where('seq', '=', 4)
      .execute();
    expect(problemsOf(await reverify())).toEqual([['altered', 4]]);
  });

  it('an edited column, or a body that is no event, is altered at its seq', async () => {
    await t.db.updateTable('audit_events').set({ kind: 'void' }).where('seq', '=', 2).execute();
    await t.db.updateTable('audit_events').set({ body: '{' }).where('seq', '=', 8).execute();
    expect(problemsOf(await reverify())).toEqual([
      ['altered', 2],
      ['altered', 8],
      // Event 8 cannot be read any more, so it is also missing from the chain.
      ['gap', 8],
    ]);
  });

  it('a deleted row is a gap; deleted last rows are a missing tail', async () => {
    await t.db.deleteFrom('audit_events').where('seq', '=', 5).execute();
    expect(problemsOf(await reverify())).toEqual([['gap', 5]]);
    await t.db.deleteFrom('audit_events').where('seq', '>=', 9).execute();
    const found = await reverify();
    expect(problemsOf(found)).toEqual([
      ['gap', 5],
      ['missing-tail', 9],
    ]);
    expect(found.problems[1]?.message).toBe(
      'Events 9–10 are missing from the end: the server has already seen event 10.',
    );
  });

  it('rows re-ordered (their seqs swapped) are altered at both seqs', async () => {
    await t.db.updateTable('audit_events').set({ seq: -3 }).where('seq', '=', 3).execute();
    await t.db.updateTable('audit_events').set({ seq: 3 }).where('seq', '=', 6).execute();
    await t.db.updateTable('audit_events').set({ seq: 6 }).where('seq', '=', -3).execute();
    expect(problemsOf(await reverify())).toEqual([
      ['altered', 3],
      ['altered', 6],
    ]);
  });

  it('a push after the verified end was tampered with re-checks from the start', async () => {
    // The row the verified prefix ends at is deleted, then the terminal pushes its next event.
    await t.db.deleteFrom('audit_events').where('seq', '=', 10).execute();
    await t.db.deleteFrom('audit_events').where('seq', '=', 2).execute();
    // Nothing looks at the table between arrivals: the status still says what it last found.
    expect((await status())?.status).toBe('ok');
    const chain = await extendChain(till, [], 11);
    await pushAudit(t.app, till.token, [chain[10]!]);
    expect(problemsOf(await status())).toEqual([
      ['gap', 2],
      ['gap', 10],
    ]);
  });
});
