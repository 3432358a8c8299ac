import { AuditEvent, AuditEventInput, GENESIS_HASH, hashAuditEvent } from './audit-event.ts';

/** Adds the next event of a terminal's chain. `previous` is the terminal's last event, or null. */
export async function appendAuditEvent(
  previous: AuditEvent | null,
  input: AuditEventInput,
): Promise<AuditEvent> {
  const parsed = AuditEventInput.parse(input);
  if (previous !== null) {
    AuditEvent.parse(previous);
    if (previous.terminalId !== parsed.terminalId || previous.storeId !== parsed.storeId) {
      throw new Error('An audit event can only follow an event of the same terminal and store.');
    }
  }
  const unhashed = {
    ...parsed,
    seq: previous === null ? 1 : previous.seq + 1,
    prevHash: previous === null ? GENESIS_HASH : previous.hash,
  };
  return { ...unhashed, hash: await hashAuditEvent(unhashed) };
}

export const AUDIT_PROBLEM_KINDS = [
  'altered',
  'broken-link',
  'gap',
  'out-of-order',
  'duplicate',
  'mixed-terminal',
  'missing-tail',
] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The event the problem is found at (for a gap or missing tail: the first missing seq). */
  readonly seq: number;
  /** A sentence a manager can read. */
  readonly message: string;
}

export interface AuditChainReport {
  readonly ok: boolean;
  readonly terminalId: string | null;
  /** Highest seq seen: the server keeps it and passes it back as expectedLastSeq next time. */
  readonly lastSeq: number;
  /** Sorted by seq, so the first one is where the chain broke. */
  readonly problems: readonly AuditProblem[];
}

export interface VerifyOptions {
  /**
   * The highest seq the server has already seen from this terminal. Deleting events from the end
   * of a chain leaves a valid, shorter chain: only an outside memory of the last seq catches it.
   */
  readonly expectedLastSeq?: number;
  /**
   * Start after an already verified prefix (seq 1 … after.seq, ending in after.hash) instead of
   * at genesis, so a server verifies each arrival without re-hashing the whole history. Events
   * given with a seq inside that prefix claim a place it already holds: reported as duplicates.
   */
  readonly after?: { readonly seq: number; readonly hash: string };
  /** How an event's content is hashed: default hashAuditEvent; the server's is synchronous. */
  readonly hash?: (event: AuditEvent) => string | Promise<string>;
}

const range = (from: number, to: number) =>
  from === to ? `Event ${from} is` : `Events ${from}–${to} are`;

/**
 * Checks one terminal's chain, in the order the events are given (the order they were stored).
 * Every problem is listed, not only the first, so a manager sees the whole extent of a break.
 */
export async function verifyAuditChain(
  events: readonly AuditEvent[],
  options: VerifyOptions = {},
): Promise<AuditChainReport> {
  const problems: AuditProblem[] = [];
  const first = events[0];
  const terminalId = first?.terminalId ?? null;

  const own: AuditEvent[] = [];
  for (const event of events) {
    if (first && (event.terminalId !== first.terminalId || event.storeId !== first.storeId)) {
      problems.push({
        kind: 'mixed-terminal',
        seq: event.seq,
        message: `Event ${event.seq} belongs to terminal ${event.terminalId} of store ${event.storeId}, not to terminal ${first.terminalId}: events of two terminals were mixed.`,
      });
    } else {
      own.push(event);
    }
  }

  const hashOf = options.hash ?? hashAuditEvent;
  const hashes = await Promise.all(own.map((event) => Promise.resolve(hashOf(event))));
  own.forEach((event, i) => {
    if (hashes[i] !== event.hash) {
      problems.push({
        kind: 'altered',
        seq: event.seq,
        message: `Event ${event.seq} (${event.kind}) was changed after it was recorded: its content no longer matches its hash.`,
      });
    }
  });

  // Order as stored: a seq lower than one already seen means the events were re-ordered.
  const bySeq = new Map<number, AuditEvent>();
  const start = options.after ?? { seq: 0, hash: GENESIS_HASH };
  let highest = start.seq;
  for (const event of own) {
    if (event.seq <= start.seq) {
      problems.push({
        kind: 'duplicate',
        seq: event.seq,
        message: `A second event claims to be event ${event.seq}, a place the verified chain (events 1–${start.seq}) already holds: the chain was forked or rewritten.`,
      });
      continue;
    }
    const earlier = bySeq.get(event.seq);
    if (earlier) {
      problems.push({
        kind: 'duplicate',
        seq: event.seq,
        message:
          earlier.hash === event.hash
            ? `Event ${event.seq} is stored twice.`
            : `Two different events both claim to be event ${event.seq}: the chain was forked or rewritten.`,
      });
      continue;
    }
    if (event.seq < highest) {
      problems.push({
        kind: 'out-of-order',
        seq: event.seq,
        message: `Event ${event.seq} is stored after event ${highest}: the events were re-ordered.`,
      });
    }
    bySeq.set(event.seq, event);
    highest = Math.max(highest, event.seq);
  }

  // Links, in seq order. Across a gap there is nothing to compare, so only the gap is reported.
  let previous: Pick<AuditEvent, 'seq' | 'hash'> | null = start.seq === 0 ? null : start;
  for (const event of [...bySeq.values()].sort((a, b) => a.seq - b.seq)) {
    const expected = previous === null ? 1 : previous.seq + 1;
    if (event.seq > expected) {
      problems.push({
        kind: 'gap',
        seq: expected,
        message: `${range(expected, event.seq - 1)} missing: deleted, or never received.`,
      });
    } else {
      const prevHash = previous === null ? GENESIS_HASH : previous.hash;
      if (event.prevHash !== prevHash) {
        problems.push({
          kind: 'broken-link',
          seq: event.seq,
          message:
            previous === null
              ? `Event ${event.seq} does not start a chain: something before it was removed or replaced.`
              : `Event ${event.seq} does not follow event ${previous.seq}: event ${previous.seq} was replaced after event ${event.seq} was recorded.`,
        });
      }
    }
    previous = event;
  }

  if (options.expectedLastSeq !== undefined && highest < options.expectedLastSeq) {
    problems.push({
      kind: 'missing-tail',
      seq: highest + 1,
      message: `${range(highest + 1, options.expectedLastSeq)} missing from the end: the server has already seen event ${options.expectedLastSeq}.`,
    });
  }

  problems.sort(
    (a, b) =>
      a.seq - b.seq || AUDIT_PROBLEM_KINDS.indexOf(a.kind) - AUDIT_PROBLEM_KINDS.indexOf(b.kind),
  );
  return { ok: problems.length === 0, terminalId, lastSeq: highest, problems };
}

/** Sale ids (in the order given, once each) that no `sale` audit event names as its subject. */
export function salesWithoutAuditEvent(
  saleIds: Iterable<string>,
  events: readonly AuditEvent[],
): string[] {
  const audited = new Set(events.filter((e) => e.kind === 'sale').map((e) => e.subjectId));
  return [...new Set(saleIds)].filter((id) => !audited.has(id));
}
