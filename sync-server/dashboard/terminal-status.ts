import type { Db } from '../db/schema.ts';
import type { Clock } from '../deps.ts';

/** Not heard from for longer than this, a terminal is shown as a problem. */
export const SILENT_AFTER_MS = 24 * 3_600_000;

export type TerminalStatus = {
  readonly id: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly name: string;
  readonly prefix: string;
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  /** When its last sale reached the server: what the server can say about its backlog. */
  readonly lastPushAt: string | null;
  readonly revokedAt: string | null;
  /** What the till said it still has to push, and when it said so; null before it reported. */
  readonly pending: { readonly count: number; readonly at: string } | null;
  /** The last document the server refused from it ("sale <id>: <reason>"), and when. */
  readonly lastRefusal: { readonly text: string; readonly at: string } | null;
  /** null: no audit event has arrived yet. */
  readonly audit: { readonly status: 'ok' | 'broken'; readonly firstProblem: string | null } | null;
  /** Sentences a manager acts on; empty when all is well. */
  readonly problems: readonly string[];
};

function firstProblemOf(problemsJson: string): string | null {
  try {
    const problems: unknown = JSON.parse(problemsJson);
    if (!Array.isArray(problems) || problems.length === 0) return null;
    const first: unknown = problems[0];
    if (typeof first === 'object' && first !== null && 'message' in first) {
      return typeof first.message === 'string' ? first.message : null;
    }
    return null;
  } catch {
    return 'The stored audit report cannot be read.';
  }
}

/**
 * The terminals of the given stores with what is wrong with each: revoked, silent for more than
 * a day, or an audit chain that does not verify (terminal_audit, written as events arrive).
 * The backlog is what the till itself reported with its last request (entitle-pending).
 */
export async function terminalStatuses(
  db: Db,
  storeIds: readonly string[],
  clock: Clock,
): Promise<TerminalStatus[]> {
  if (storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('terminals')
    .innerJoin('stores', 'stores.id', 'terminals.store_id')
    .leftJoin('terminal_audit', 'terminal_audit.terminal_id', 'terminals.id')
    .select((eb) => [
      'terminals.id',
      'terminals.store_id',
      'stores.name as store_name',
      'terminals.name',
      'terminals.code_prefix',
      'terminals.created_at',
      'terminals.last_seen_at',
      'terminals.revoked_at',
      'terminals.reported_pending',
      'terminals.reported_pending_at',
      'terminals.last_refusal',
      'terminals.last_refusal_at',
      'terminal_audit.status as audit_status',
      'terminal_audit.problems as audit_problems',
      eb
        .selectFrom('sales')
        .select((inner) => inner.fn.max('sales.received_at').as('last'))
        .whereRef('sales.terminal_id', '=', 'terminals.id')
        .as('last_push_at'),
    ])
    .where('terminals.store_id', 'in', storeIds)
    .orderBy('stores.name')
    .orderBy('terminals.name')
    .orderBy('terminals.id')
    .execute();
  const silentBefore = clock().getTime() - SILENT_AFTER_MS;
  return rows.map((row) => {
    const audit =
      row.audit_status === null || row.audit_problems === null
        ? null
        : { status: row.audit_status, firstProblem: firstProblemOf(row.audit_problems) };
    const problems: string[] = [];
    if (row.revoked_at !== null) problems.push('Revoked: it can no longer sync.');
    // A terminal not heard from since enrolment counts from its enrolment.
    else if (Date.parse(row.last_seen_at ?? row.created_at) < silentBefore) {
      problems.push('Not seen for more than a day: check that it is on and online.');
    }
    const lastRefusal =
      row.last_refusal === null || row.last_refusal_at === null
        ? null
        : { text: row.last_refusal, at: row.last_refusal_at };
    if (lastRefusal && Date.parse(lastRefusal.at) >= silentBefore) {
      problems.push(`Refused a document in the last day: ${lastRefusal.text}`);
    }
    if (audit?.status === 'broken') {
      problems.push(`Audit chain broken: ${audit.firstProblem ?? 'see the audit page.'}`);
    }
    return {
      id: row.id,
      storeId: row.store_id,
      storeName: row.store_name,
      name: row.name,
      prefix: row.code_prefix,
      enrolledAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      lastPushAt: typeof row.last_push_at === 'string' ? row.last_push_at : null,
      revokedAt: row.revoked_at,
      pending:
        row.reported_pending === null || row.reported_pending_at === null
          ? null
          : { count: row.reported_pending, at: row.reported_pending_at },
      lastRefusal,
      audit,
      problems,
    };
  });
}
