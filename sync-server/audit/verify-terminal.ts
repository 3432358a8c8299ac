import {
  AUDIT_PROBLEM_KINDS,
  verifyAuditChain,
  type AuditProblem,
} from '../../shared/audit/audit-chain.ts';
import { GENESIS_HASH, type AuditEvent } from '../../shared/audit/audit-event.ts';
import type { AuditEventsTable, DbOrTrx, TerminalAuditTable } from '../db/schema.ts';
import { isoNow, type Clock } from '../deps.ts';
import { auditHashOf } from './hash-event.ts';
import { parseStoredEvent } from './stored-event.ts';

/**
 * A terminal's audit chain, verified on the server as events arrive (issue #5).
 *
 * `terminal_audit` keeps the verified prefix: events 1 … verified_seq are all present and were
 * checked, with the problems found among them. Each arrival re-checks only what comes after it
 * (shared verifyAuditChain with `after`), so the cost of a push does not grow with the
 * terminal's history, even after a fork. The prefix stops at the first gap, so a gap filled by
 * a late batch heals to 'ok'; forks and broken links are final and stay listed. An event
 * arriving for a place inside the prefix rewinds the prefix to just before it.
 */

export type AuditStatus = {
  readonly terminalId: string;
  readonly storeId: string;
  readonly status: 'ok' | 'broken';
  /** Events 1 … verifiedSeq are present and checked (problems among them are listed). */
  readonly verifiedSeq: number;
  /** The highest seq ever received from the terminal. */
  readonly lastSeq: number;
  /** Sorted by seq: the first one is where the chain broke. */
  readonly problems: readonly AuditProblem[];
  readonly checkedAt: string;
};

function toStatus(row: TerminalAuditTable): AuditStatus {
  return {
    terminalId: row.terminal_id,
    storeId: row.store_id,
    status: row.status,
    verifiedSeq: row.verified_seq,
    lastSeq: row.last_seq,
    problems: JSON.parse(row.problems) as AuditProblem[],
    checkedAt: row.checked_at,
  };
}

/** The terminal's chain as last verified; null before its first audit event arrived. */
export async function auditStatusOf(db: DbOrTrx, terminalId: string): Promise<AuditStatus | null> {
  const row = await db
    .selectFrom('terminal_audit')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .executeTakeFirst();
  return row ? toStatus(row) : null;
}

/** Every terminal of a store that has sent audit events, broken chains first. */
export async function auditStatusesOfStore(db: DbOrTrx, storeId: string): Promise<AuditStatus[]> {
  const rows = await db
    .selectFrom('terminal_audit')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('status')
    .orderBy('terminal_id')
    .execute();
  return rows.map(toStatus);
}

/** How many problems a terminal's status keeps: the earliest ones, by seq. */
export const MAX_KEPT_PROBLEMS = 200;

type Loaded = { readonly events: AuditEvent[]; readonly problems: AuditProblem[] };

/** Events the caller has just stored, by id: the body it wrote and the event it wrote it from. */
export type WrittenEvents = ReadonlyMap<
  string,
  { readonly body: string; readonly event: AuditEvent }
>;

/**
 * The stored body is what the hash is checked against; the columns are copies for queries. A
 * row whose body no longer parses, or whose columns disagree with its body, was edited in the
 * table: reported as altered at the row's seq (the body, if it parses, still takes part).
 */
function eventsOfRows(rows: readonly AuditEventsTable[], written: WrittenEvents): Loaded {
  const events: AuditEvent[] = [];
  const problems: AuditProblem[] = [];
  for (const row of rows) {
    // A body just written from a checked event parses back into that event: not parsed again.
    const known = written.get(row.id);
    const event = known?.body === row.body ? known.event : parseStoredEvent(row.body);
    const altered = (): void => {
      problems.push({
        kind: 'altered',
        seq: row.seq,
        message: `Event ${row.seq} was changed in the server's table: its stored row no longer matches what the terminal sent.`,
      });
    };
    if (event === null) {
      altered();
      continue;
    }
    const matches =
      event.id === row.id &&
      event.seq === row.seq &&
      event.hash === row.hash &&
      event.prevHash === row.prev_hash &&
      event.kind === row.kind &&
      event.terminalId === row.terminal_id &&
      event.storeId === row.store_id &&
      event.staffId === row.staff_id &&
      event.subjectId === row.subject_id;
    if (!matches) altered();
    events.push(event);
  }
  return { events, problems };
}

/**
 * Seq order; where two events claim one seq, the chain is the one that links to the chain so far
 * and that the next event links to; the other is the fork. Failing that, the one that arrived
 * first (the caller gives them in arrival order).
 */
function chainOrder(events: readonly AuditEvent[], startHash: string): AuditEvent[] {
  const bySeq = new Map<number, AuditEvent[]>();
  for (const event of events) bySeq.set(event.seq, [...(bySeq.get(event.seq) ?? []), event]);
  const ordered: AuditEvent[] = [];
  let previousHash: string | null = startHash;
  let previousSeq: number | null = null;
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    const claims = bySeq.get(seq) ?? [];
    const follows = previousSeq === null || seq === previousSeq + 1;
    const linking = follows ? claims.filter((e) => e.prevHash === previousHash) : [];
    const followed = new Set((bySeq.get(seq + 1) ?? []).map((e) => e.prevHash));
    const first =
      linking.find((e) => followed.has(e.hash)) ??
      linking[0] ??
      claims.find((e) => followed.has(e.hash)) ??
      claims[0];
    if (first === undefined) continue;
    ordered.push(first, ...claims.filter((event) => event !== first));
    previousHash = first.hash;
    previousSeq = seq;
  }
  return ordered;
}

const byPlace = (a: AuditProblem, b: AuditProblem): number =>
  a.seq - b.seq || AUDIT_PROBLEM_KINDS.indexOf(a.kind) - AUDIT_PROBLEM_KINDS.indexOf(b.kind);

/** How far back a start may step over forked places before verifying from genesis instead. */
const MAX_FORK_STEPS = 50;

/**
 * Where to start: the verified prefix, unless it must be rewound or cannot be trusted. A start
 * never sits on a place two events claim: which of them the chain went through is decided by
 * the event after it, which may just have arrived, so the start steps back before such places.
 */
async function startOf(
  trx: DbOrTrx,
  terminalId: string,
  verified: { seq: number; hash: string },
  fromSeq: number | undefined,
): Promise<{ seq: number; hash: string }> {
  const genesis = { seq: 0, hash: GENESIS_HASH };
  if (verified.seq === 0) return genesis;
  const claimsAt = (seq: number) =>
    trx
      .selectFrom('audit_events')
      .select('hash')
      .where('terminal_id', '=', terminalId)
      .where('seq', '=', seq)
      .execute();
  // The prefix end must still be in the table as verified (a fork may sit beside it); if its
  // row was deleted or edited, nothing about the prefix can be assumed: verify from genesis.
  const end = await claimsAt(verified.seq);
  if (!end.some((row) => row.hash === verified.hash)) return genesis;
  let seq = Math.min(verified.seq, fromSeq === undefined ? verified.seq : fromSeq - 1);
  for (let step = 0; seq > 0 && step < MAX_FORK_STEPS; step++, seq--) {
    const claims = seq === verified.seq ? end : await claimsAt(seq);
    const [only, ...more] = claims;
    if (only !== undefined && more.length === 0) return { seq, hash: only.hash };
  }
  return genesis;
}

/**
 * Verifies a terminal's chain after an arrival and records the result, inside the caller's
 * transaction (the push stores the event and its verdict together). `fromSeq`: the seq that
 * just arrived; `full`: verify from genesis (a person asked, or the table is suspect).
 */
export async function verifyTerminal(
  trx: DbOrTrx,
  terminal: { readonly id: string; readonly storeId: string },
  clock: Clock,
  options: {
    readonly fromSeq?: number;
    readonly full?: boolean;
    /** What the caller stored in this transaction (writeAuditEvents): spares parsing it again. */
    readonly written?: WrittenEvents;
  } = {},
): Promise<AuditStatus> {
  const current = await trx
    .selectFrom('terminal_audit')
    .selectAll()
    .where('terminal_id', '=', terminal.id)
    .executeTakeFirst();
  const verified =
    current && options.full !== true
      ? { seq: current.verified_seq, hash: current.verified_hash }
      : { seq: 0, hash: GENESIS_HASH };
  const start = await startOf(trx, terminal.id, verified, options.fromSeq);
  const rows = await trx
    .selectFrom('audit_events')
    .selectAll()
    .where('terminal_id', '=', terminal.id)
    .where('seq', '>', start.seq)
    .orderBy('seq')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  const loaded = eventsOfRows(rows, options.written ?? new Map());
  const ordered = chainOrder(loaded.events, start.hash);
  const expectedLastSeq = rows.reduce(
    (highest, row) => Math.max(highest, row.seq),
    current?.last_seq ?? 0,
  );
  const report = await verifyAuditChain(ordered, {
    after: start,
    expectedLastSeq,
    hash: auditHashOf,
  });
  // Problems inside the prefix were found by an earlier check and can only change if an event
  // arrives for a place inside it, which rewinds the prefix; so they are carried, not re-found.
  const carried =
    current && start.seq > 0
      ? (JSON.parse(current.problems) as AuditProblem[]).filter((p) => p.seq <= start.seq)
      : [];
  // The first break is what a manager acts on; a rewritten tail of thousands of forks must not
  // make every later check parse and write megabytes.
  const problems = [...carried, ...loaded.problems, ...report.problems]
    .sort(byPlace)
    .slice(0, MAX_KEPT_PROBLEMS);

  // The prefix grows over every present place, past forks and broken links (they are final: a
  // stored event never changes), and stops at the first gap, which a late event may still fill.
  let end = start;
  for (const event of ordered) {
    if (event.seq === end.seq) continue; // a second claim to a place already passed
    if (event.seq !== end.seq + 1) break;
    end = { seq: event.seq, hash: event.hash };
  }

  const row: TerminalAuditTable = {
    terminal_id: terminal.id,
    store_id: terminal.storeId,
    verified_seq: end.seq,
    verified_hash: end.hash,
    last_seq: expectedLastSeq,
    status: problems.length === 0 ? 'ok' : 'broken',
    problems: JSON.stringify(problems),
    checked_at: isoNow(clock),
  };
  await trx
    .insertInto('terminal_audit')
    .values(row)
    .onConflict((oc) =>
      oc.column('terminal_id').doUpdateSet({
        verified_seq: row.verified_seq,
        verified_hash: row.verified_hash,
        last_seq: row.last_seq,
        status: row.status,
        problems: row.problems,
        checked_at: row.checked_at,
      }),
    )
    .execute();
  return toStatus(row);
}
