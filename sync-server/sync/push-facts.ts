import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { PushRequest, type PushResponse } from '../../shared/schemas/protocol.ts';
import { requireTerminal, type AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import type { Trx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppContext } from '../deps.ts';
import { describeIssues, HttpError, parseOr400 } from '../http/errors.ts';
import { tellStatusOwner } from './change-notifier.ts';

type Row = { newDocumentState: unknown };

/** How storing one pushed row ended: `written` changed something, `kept` was a harmless repeat. */
export type RowOutcome =
  | { readonly kind: 'written' }
  | { readonly kind: 'kept' }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Stores one pushed document of this terminal; may log what a manager should know. */
export type StoreRow = (
  document: unknown,
  row: { readonly id: string; readonly log: FastifyBaseLogger },
) => Promise<RowOutcome>;

/** What a row's writer may tell a manager: logged once its transaction has committed. */
export type RowLog = {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
};

/**
 * A fact kind whose rows are stored together: every row is checked without the database first
 * (shape, signatures, hashes), then the checked rows are written in ONE transaction per request,
 * so a batch costs one commit (one fsync, one lock) instead of one per row. `write` must answer
 * each row exactly as if the rows had been written one transaction each, in order, and decide a
 * refusal before it writes anything for that row.
 */
export type BatchStorer<T> = {
  readonly check: (
    document: unknown,
  ) => Promise<
    { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string }
  >;
  readonly write: (
    trx: Trx,
    rows: readonly { readonly id: string; readonly value: T }[],
    log: RowLog,
  ) => Promise<RowOutcome[]>;
};

export type FactKind = {
  /** The URL segment and the word in messages: "sales", "voids", "refunds". */
  readonly plural: string;
  /** For the log: "sale", "void", "refund". */
  readonly singular: string;
  /** The URL segment when it is not `plural` ("audit" for audit events). */
  readonly path?: string;
  /**
   * Whether a written row changes the statuses of the pushing terminal's codes (a sale, void or
   * refund: only the selling terminal pushes them), so its streams are told; default true.
   */
  readonly changesStatuses?: boolean;
};

export function field(document: unknown, name: string): unknown {
  return typeof document === 'object' && document !== null
    ? (document as Record<string, unknown>)[name]
    : undefined;
}

/**
 * A row claiming another store or another terminal is not a bad document, it is a client pushing
 * with the wrong identity: the whole request is refused and nothing is written.
 */
function scopeRefusal(
  rows: readonly Row[],
  terminal: AuthenticatedTerminal,
  { plural }: FactKind,
): HttpError | null {
  const outside = (name: string, own: string): boolean =>
    rows.some((row) => {
      const value = field(row.newDocumentState, name);
      return value !== undefined && value !== own;
    });
  if (outside('storeId', terminal.storeId)) {
    return new HttpError(
      403,
      'wrong_store',
      `This push holds ${plural} of another store. Nothing was saved; check the terminal's enrolment.`,
    );
  }
  if (outside('terminalId', terminal.id)) {
    return new HttpError(
      403,
      'wrong_terminal',
      `This push holds ${plural} of another terminal. Nothing was saved; each terminal pushes its own ${plural}.`,
    );
  }
  return null;
}

/**
 * POST /<plural>/push: the one push every fact a terminal writes goes through (sales, voids,
 * refunds; DESIGN invariants 2 and 3). RxDB's push rows in, `{ accepted, rejected }` out, each row
 * on its own so one bad document never keeps the good ones of its batch off the server; a
 * refused row is reported with its reason, never merged. Terminals are told to pull when
 * anything was written.
 */
export function factPushRoute<T>(
  app: FastifyInstance,
  ctx: AppContext,
  kind: FactKind,
  /** Called once per request, so per-terminal work (unsealing a key) is done once. */
  storerFor: (terminal: AuthenticatedTerminal) => StoreRow | BatchStorer<T>,
): void {
  app.post(`/${kind.path ?? kind.plural}/push`, async (request): Promise<PushResponse> => {
    const terminal = requireTerminal(request);
    const { rows } = parseOr400(PushRequest, request.body, 'push request');
    const refusal = scopeRefusal(rows, terminal, kind);
    if (refusal) throw refusal;
    const storer = storerFor(terminal);
    const documents = rows.map((row, index) => {
      const rawId = field(row.newDocumentState, 'id');
      return {
        id: typeof rawId === 'string' ? rawId : `#${String(index)}`,
        document: row.newDocumentState,
      };
    });
    const outcomes =
      typeof storer === 'function'
        ? await storeEach(documents, storer, request.log)
        : await storeBatch(ctx, documents, storer, request.log);
    const response: PushResponse = { accepted: [], rejected: [] };
    let wrote = false;
    for (const [index, { id }] of documents.entries()) {
      const outcome = outcomes[index];
      if (outcome === undefined) throw new Error(`No outcome for row ${String(index)}.`);
      if (outcome.kind === 'rejected') {
        // A refused fact is a bug or an attack (DESIGN invariant 2): report it, never merge it.
        request.log.warn(
          { terminalId: terminal.id, [`${kind.singular}Id`]: id, reason: outcome.reason },
          `${kind.singular} refused`,
        );
        response.rejected.push({ id, reason: outcome.reason });
        continue;
      }
      wrote ||= outcome.kind === 'written';
      response.accepted.push(id);
    }
    const refused = response.rejected.at(-1);
    if (refused)
      await recordRefusal(ctx, terminal.id, `${kind.singular} ${refused.id}: ${refused.reason}`);
    if (wrote && kind.changesStatuses !== false)
      tellStatusOwner(ctx.notifier, { storeId: terminal.storeId, terminalId: terminal.id });
    return response;
  });
}

type PushedDocument = { readonly id: string; readonly document: unknown };

/** Each row in its own transaction(s), in order: the writer opens them. */
async function storeEach(
  documents: readonly PushedDocument[],
  store: StoreRow,
  log: FastifyBaseLogger,
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  for (const { id, document } of documents) outcomes.push(await store(document, { id, log }));
  return outcomes;
}

/**
 * The checks first, then every checked row written in one transaction, answered as if each had
 * its own (BatchStorer). If the batch fails (a write throws, the commit fails), all of it is
 * rolled back and the rows are written again one transaction each, as before batching: the rows
 * before a failing one are still stored, and the same batch pushed again writes nothing twice (a
 * stored fact is a duplicate). What the writer logs is logged once its rows have committed.
 */
async function storeBatch<T>(
  ctx: AppContext,
  documents: readonly PushedDocument[],
  storer: BatchStorer<T>,
  log: FastifyBaseLogger,
): Promise<RowOutcome[]> {
  const outcomes: (RowOutcome | undefined)[] = [];
  const checked: { index: number; id: string; value: T }[] = [];
  for (const [index, { id, document }] of documents.entries()) {
    const check = await storer.check(document);
    if (check.ok) {
      checked.push({ index, id, value: check.value });
      outcomes.push(undefined);
    } else {
      outcomes.push({ kind: 'rejected', reason: check.reason });
    }
  }
  type Entry = { level: 'warn' | 'info'; details: Record<string, unknown>; message: string };
  const write = async (rows: typeof checked): Promise<void> => {
    let entries: Entry[] = [];
    const written = await inTransaction(ctx.db, (trx) => {
      entries = []; // a retried transaction logs only what its last run wrote
      const rowLog: RowLog = {
        warn: (details, message) => entries.push({ level: 'warn', details, message }),
        info: (details, message) => entries.push({ level: 'info', details, message }),
      };
      return storer.write(trx, rows, rowLog);
    });
    for (const { level, details, message } of entries) log[level](details, message);
    for (const [at, { index }] of rows.entries()) outcomes[index] = written[at];
  };
  let batched = false;
  if (checked.length > 1) {
    try {
      await write(checked);
      batched = true;
    } catch (error) {
      log.warn({ err: error }, 'batch push failed; storing its rows one transaction each');
    }
  }
  if (!batched) for (const row of checked) await write([row]);
  return outcomes.map((outcome, index) => {
    if (outcome === undefined) throw new Error(`No outcome for row ${String(index)}.`);
    return outcome;
  });
}

/** The dashboard shows a till's last refused document: what it was and why (terminals page). */
async function recordRefusal(ctx: AppContext, terminalId: string, text: string): Promise<void> {
  await ctx.db
    .updateTable('terminals')
    .set({ last_refusal: text.slice(0, 500), last_refusal_at: ctx.clock().toISOString() })
    .where('id', '=', terminalId)
    .execute();
}

/**
 * The shape check every pushed fact starts with: an object, never a deletion (facts are
 * immutable; `deleted` says what to do instead), valid against its shared schema.
 */
export function parsePushedFact<T>(
  document: unknown,
  schema: z.ZodType<T>,
  words: { readonly noun: string; readonly deleted: string },
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, reason: `A pushed row must hold a ${words.noun} object.` };
  }
  const { _deleted: deleted, ...fields } = document as Record<string, unknown>;
  if (deleted === true) return { ok: false, reason: words.deleted };
  if (deleted !== undefined && deleted !== false) {
    return { ok: false, reason: '_deleted must be true or false.' };
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `The ${words.noun} is not valid: ${describeIssues(parsed.error)}.`,
    };
  }
  return { ok: true, value: parsed.data };
}
