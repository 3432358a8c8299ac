import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditEvent,
  type AuditEventInput,
  AuditEvent as AuditEventSchema,
} from './audit-event.ts';
import { appendAuditEvent, salesWithoutAuditEvent, verifyAuditChain } from './audit-chain.ts';
import { AUDIT_KINDS } from './audit-event.ts';

const input = (n: number, over: Partial<AuditEventInput> = {}): AuditEventInput => ({
  id: `evt-${n}`,
  storeId: 'store-1',
  terminalId: 'term-1',
  kind: AUDIT_KINDS[n % AUDIT_KINDS.length] ?? 'sale',
  staffId: 'staff-1',
  subjectId: `sale-${n}`,
  detail: { total: n * 100, note: 'x' },
  createdAt: '2026-11-27T10:00:00Z',
  ...over,
});

async function chain(length: number, terminalId = 'term-1'): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let n = 1; n <= length; n++) {
    events.push(await appendAuditEvent(events.at(-1) ?? null, input(n, { terminalId })));
  }
  return events;
}

const kinds = (problems: readonly { kind: string; seq: number }[]) =>
  problems.map((p) => [p.kind, p.seq]);

describe('audit events: refusals', () => {
  it('refuses an unknown kind, a nested or oversized detail, extra fields and seq 0', async () => {
    await expect(appendAuditEvent(null, { ...input(1), kind: 'hack' as 'sale' })).rejects.toThrow();
    await expect(
      appendAuditEvent(null, input(1, { detail: { a: { b: 1 } } as unknown as { a: 1 } })),
    ).rejects.toThrow();
    const big = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));
    await expect(appendAuditEvent(null, input(1, { detail: big }))).rejects.toThrow(/16 fields/);
    await expect(appendAuditEvent(null, input(1, { detail: { n: 1.5 } }))).rejects.toThrow();
    const [event] = await chain(1);
    expect(AuditEventSchema.safeParse({ ...event, extra: 1 }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event, seq: 0 }).success).toBe(false);
  });

  it('refuses to append to another terminal or store', async () => {
    const [event] = await chain(1);
    await expect(appendAuditEvent(event!, input(2, { terminalId: 'term-2' }))).rejects.toThrow(
      /same terminal/,
    );
    await expect(appendAuditEvent(event!, input(2, { storeId: 'store-2' }))).rejects.toThrow();
  });
});

describe('audit chain: tampering', () => {
  it('a valid chain verifies clean, and seq and prevHash are assigned', async () => {
    const events = await chain(20);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events[0]!.prevHash).toBe('0'.repeat(64));
    expect(events[5]!.prevHash).toBe(events[4]!.hash);
    const report = await verifyAuditChain(events, { expectedLastSeq: 20 });
    expect(report).toEqual({ ok: true, terminalId: 'term-1', lastSeq: 20, problems: [] });
    expect(await verifyAuditChain([])).toMatchObject({ ok: true, problems: [] });
  });

  it('(a) an altered field is found at its event', async () => {
    const events = await chain(20);
    events[6] = { ...events[6]!, detail: { total: 1 } };
    const report = await verifyAuditChain(events);
    expect(kinds(report.problems)).toEqual([['altered', 7]]);
    expect(report.problems[0]!.message).toMatch(/Event 7 .* was changed/);
  });

  it('(b) a deleted event is a gap at its seq', async () => {
    const events = await chain(20);
    events.splice(9, 1);
    expect(kinds((await verifyAuditChain(events)).problems)).toEqual([['gap', 10]]);
  });

  it('(c) swapped events: re-ordered positions, or swapped contents under the old numbers', async () => {
    const events = await chain(20);
    const moved = [...events];
    [moved[3], moved[4]] = [moved[4]!, moved[3]!];
    expect(kinds((await verifyAuditChain(moved)).problems)).toEqual([['out-of-order', 4]]);

    const renumbered = [...events];
    renumbered[3] = { ...events[4]!, seq: 4 };
    renumbered[4] = { ...events[3]!, seq: 5 };
    expect(kinds((await verifyAuditChain(renumbered)).problems)).toEqual([
      ['altered', 4],
      ['broken-link', 4],
      ['altered', 5],
      ['broken-link', 5],
      ['broken-link', 6],
    ]);
  });

  it('(d) an altered event with a recomputed hash breaks the next link', async () => {
    const events = await chain(20);
    const forged = await appendAuditEvent(events[10]!, { ...input(12), detail: { total: 0 } });
    events[11] = forged;
    expect(kinds((await verifyAuditChain(events)).problems)).toEqual([['broken-link', 13]]);
  });

  it('(e) a truncated tail is caught only by the server-side last seq seen', async () => {
    // Deleting the last events leaves a shorter chain that is valid on its own: nothing inside
    // it points forward. Only the server's memory of the last seq it saw can tell.
    const events = (await chain(20)).slice(0, 17);
    expect((await verifyAuditChain(events)).ok).toBe(true);
    const report = await verifyAuditChain(events, { expectedLastSeq: 20 });
    expect(kinds(report.problems)).toEqual([['missing-tail', 18]]);
    expect(report.problems[0]!.message).toMatch(/Events 18–20 are missing from the end/);
  });

  it('reports duplicates and events of another terminal', async () => {
    const events = await chain(5);
    const other = await chain(3, 'term-2');
    const report = await verifyAuditChain([
      ...events.slice(0, 3),
      other[1]!,
      events[2]!,
      ...events.slice(3),
    ]);
    expect(kinds(report.problems)).toEqual([
      ['mixed-terminal', 2],
      ['duplicate', 3],
    ]);
    expect(report.problems[1]!.message).toBe('Event 3 is stored twice.');
  });
});

describe('audit chain: verifying after a verified prefix', () => {
  it('checks the rest against the prefix end, not genesis, and finds gaps and forks there', async () => {
    const events = await chain(10);
    const after = { seq: 6, hash: events[5]!.hash };
    expect(await verifyAuditChain(events.slice(6), { after, expectedLastSeq: 10 })).toEqual({
      ok: true,
      terminalId: 'term-1',
      lastSeq: 10,
      problems: [],
    });
    // Nothing new: the prefix end is the last seq.
    expect(await verifyAuditChain([], { after })).toMatchObject({ ok: true, lastSeq: 6 });
    // A wrong prefix end breaks the first link after it.
    const wrong = { seq: 6, hash: events[4]!.hash };
    expect(kinds((await verifyAuditChain(events.slice(6), { after: wrong })).problems)).toEqual([
      ['broken-link', 7],
    ]);
    // Event 7 missing: a gap right after the prefix.
    expect(kinds((await verifyAuditChain(events.slice(7), { after })).problems)).toEqual([
      ['gap', 7],
    ]);
    // A second event claiming seq 4, inside the verified prefix, is a fork.
    const fork = await appendAuditEvent(events[2]!, input(99));
    const report = await verifyAuditChain([fork, ...events.slice(6)], { after });
    expect(kinds(report.problems)).toEqual([['duplicate', 4]]);
    expect(report.problems[0]!.message).toMatch(/forked or rewritten/);
  });
});

describe('sales without an audit event', () => {
  it('lists sales no sale event names, once each', async () => {
    const events = await chain(3);
    const saleEvents = events.map((e) => ({ ...e, kind: 'sale' as const }));
    expect(salesWithoutAuditEvent(['sale-1', 'sale-9', 'sale-9', 'sale-2'], saleEvents)).toEqual([
      'sale-9',
    ]);
    // A void naming the sale does not stand in for the sale's own event.
    const voidOnly = saleEvents.map((e) => ({ ...e, kind: 'void' as const }));
    expect(salesWithoutAuditEvent(['sale-1'], voidOnly)).toEqual(['sale-1']);
  });
});

describe('audit chain (property)', () => {
  const seed = 20261127;

  it('any single alteration, deletion or adjacent swap is detected', async () => {
    const base = await chain(12);
    const tamper = fc.oneof(
      fc.record({ op: fc.constant('alter' as const), at: fc.nat(11), total: fc.integer() }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(10) }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(10) }),
    );
    await fc.assert(
      fc.asyncProperty(tamper, async (t) => {
        const events = [...base];
        if (t.op === 'alter') {
          events[t.at] = { ...events[t.at]!, detail: { total: t.total, tampered: true } };
        } else if (t.op === 'delete') {
          events.splice(t.at, 1); // never the last one: that is the truncation case above
        } else {
          [events[t.at], events[t.at + 1]] = [events[t.at + 1]!, events[t.at]!];
        }
        const report = await verifyAuditChain(events);
        expect(report.ok).toBe(false);
      }),
      { seed, numRuns: 200 },
    );
  });

  it('a valid chain of any length verifies clean', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 15 }), async (length) => {
        const events = await chain(length);
        expect((await verifyAuditChain(events, { expectedLastSeq: length })).ok).toBe(true);
      }),
      { seed, numRuns: 30 },
    );
  });
});
