/**
 * The properties every fuzzed request must hold (issue #6, "Bad input"; DESIGN invariant 8):
 * never a 5xx, a refusal says something a person can act on, and a refused request changes no
 * row in any table. One seed for the whole run (FUZZ_SEED overrides it) so a failure replays.
 */
import { sql } from 'kysely';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ApiError } from '../../shared/schemas/protocol.ts';
import type { Db } from '../../sync-server/db/schema.ts';
import type { TestApp } from '../../sync-server/test-support/harness.ts';
import { testEngine } from '../../sync-server/test-support/test-database.ts';

const DEFAULT_SEED = 20_261_127;

/** The run's seed: FUZZ_SEED when set (to replay a failure), a fixed one otherwise. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be a whole number, not ${raw}.`);
  return seed;
}

/** How many requests per target: FUZZ_RUNS scales every count (e.g. 10 for a long night run). */
export function runsOf(base: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/**
 * Columns written on purpose when a request is refused, left out of the "nothing changed"
 * comparison. Each is a diagnostic or a rate limit, never business data.
 */
export const DIAGNOSTIC_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // A terminal's last contact and the last document it had refused are shown on the dashboard's
  // terminals page (sync-server/dashboard/terminal-status.ts): a refusal is exactly what they record.
  // So are the unsynced documents it reported in the entitle-pending header of any request.
  terminals: [
    'last_seen_at',
    'reported_pending',
    'reported_pending_at',
    'last_refusal',
    'last_refusal_at',
  ],
  // A dashboard session writes its last use (at most once a minute) on any request.
  dashboard_sessions: ['last_used_at'],
};

/**
 * Tables that count requests on purpose, refused ones included (migration 0011, shared between
 * server instances on PostgreSQL): the per-route rate limits and the dashboard's failed sign-ins.
 */
export const THROTTLE_TABLES: readonly string[] = ['rate_limits', 'signin_failures'];

export type Snapshot = ReadonlyMap<string, readonly string[]>;

let tableNames: readonly string[] | undefined;

async function tablesOf(db: Db): Promise<readonly string[]> {
  // Every test database is migrated to the same version, so the list is read once per process.
  tableNames ??= (await db.introspection.getTables())
    .map((table) => table.name)
    .filter((name) => !name.startsWith('kysely_') && !THROTTLE_TABLES.includes(name))
    .sort();
  return tableNames;
}

/**
 * Every row of every table, as sorted JSON lines, without the diagnostic columns. On PostgreSQL
 * a fingerprint per table instead (one round trip for all tables; reading every row took 50 ms
 * a request): a failure names the table that changed, and the seed replays it on SQLite for rows.
 */
export async function snapshot(db: Db): Promise<Snapshot> {
  const tables = await tablesOf(db);
  return testEngine() === 'postgres' ? fingerprints(db, tables) : everyRow(db, tables);
}

async function everyRow(db: Db, tables: readonly string[]): Promise<Snapshot> {
  const contents = await Promise.all(
    tables.map(async (name) => {
      const result = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
        db,
      );
      const skip = DIAGNOSTIC_COLUMNS[name] ?? [];
      const lines = result.rows.map((row) =>
        JSON.stringify(Object.entries(row).filter(([column]) => !skip.includes(column))),
      );
      return [name, lines.sort()] as const;
    }),
  );
  return new Map(contents);
}

async function fingerprints(db: Db, tables: readonly string[]): Promise<Snapshot> {
  const parts = tables.map((name) => {
    const row = (DIAGNOSTIC_COLUMNS[name] ?? []).reduce(
      (json, column) => sql`${json} - ${column}::text`,
      sql`to_jsonb(t)`,
    );
    return sql`select ${name}::text as name, count(*)::text || ' rows ' || md5(coalesce(string_agg((${row})::text, '|' order by (${row})::text), '')) as print from ${sql.table(name)} t`;
  });
  const result = await sql<{
    name: string;
    print: string;
  }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return new Map(result.rows.map((row) => [row.name, [row.print]]));
}

/** What differs between two snapshots, table by table ('' when nothing). */
export function differences(before: Snapshot, after: Snapshot): string {
  const out: string[] = [];
  for (const [table, rows] of after) {
    const old = before.get(table) ?? [];
    const added = rows.filter((row) => !old.includes(row));
    const removed = old.filter((row) => !rows.includes(row));
    if (added.length + removed.length > 0) {
      out.push(
        `${table}: +${String(added.length)} -${String(removed.length)} ${[...added.map((r) => `+ ${r}`), ...removed.map((r) => `- ${r}`)].slice(0, 4).join(' ').slice(0, 600)}`,
      );
    }
  }
  return out.join('\n');
}

/** One request as the fuzzers build it; `payload` is sent as given (object: JSON). */
export type FuzzRequest = {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload?: string | Record<string, unknown> | readonly unknown[] | Buffer;
};

export function describeRequest(request: FuzzRequest): string {
  const payload =
    request.payload === undefined
      ? ''
      : typeof request.payload === 'string'
        ? request.payload
        : Buffer.isBuffer(request.payload)
          ? `<${String(request.payload.byteLength)} bytes>`
          : JSON.stringify(request.payload);
  const short = (text: string) =>
    text.length > 300 ? `${text.slice(0, 300)}… (${String(text.length)} chars)` : text;
  return `${request.method} ${short(request.url)} ${short(payload)}`;
}

/** Visible text of an HTML page: tags dropped, entities of quotes decoded, whitespace squashed. */
export function visibleText(page: string): string {
  return page
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What a refused page says, where a person looks: the text of its alert (a form's flash or the
 * dashboard's error), else the paragraph under its heading (the portal's message pages).
 */
export function pageMessage(page: string): string {
  const alerts = [...page.matchAll(/<(\w+)[^>]*role="alert"[^>]*>([\s\S]*?)<\/\1>/g)].map((match) =>
    visibleText(match[2] ?? ''),
  );
  if (alerts.length > 0) return alerts.join(' ');
  return visibleText(/<\/h1>\s*<p[^>]*>([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '');
}

/** A sentence a person can act on: three words or more, ending like a sentence. */
const SENTENCE = /[A-Za-z][^.!?]*\s\S+\s[^.!?]*[.!?]/;

/** The sentence of a refusal: the JSON error's message, or the text of an HTML page. */
export function refusalMessage(response: LightMyRequestResponse): string {
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('application/json')) return ApiError.parse(response.json()).message;
  if (type.includes('text/html')) return pageMessage(response.body);
  return response.body;
}

export type Outcome = 'refused' | 'accepted';

/** The reasons of a sync push that accepted nothing and rejected something; else null. */
function rejectedDocuments(response: LightMyRequestResponse): string[] | null {
  if (response.statusCode !== 200) return null;
  if (!String(response.headers['content-type'] ?? '').includes('application/json')) return null;
  const body = response.json<{ accepted?: unknown; rejected?: unknown }>();
  if (!Array.isArray(body.accepted) || !Array.isArray(body.rejected)) return null;
  if (body.accepted.length > 0 || body.rejected.length === 0) return null;
  return body.rejected.map((entry) => String((entry as { reason?: unknown }).reason));
}

/**
 * Sends one request and checks the three properties. `upstream`: error codes that are a 502 on
 * purpose because another machine (a printer, Stripe) did not answer; still with a sentence.
 */
export async function checkRequest(
  t: TestApp,
  request: FuzzRequest,
  before: Snapshot,
  options: { readonly upstream?: readonly string[] } = {},
): Promise<{ outcome: Outcome; after: Snapshot; response: LightMyRequestResponse }> {
  const response = await t.app.inject(request as InjectOptions);
  const what = `${describeRequest(request)}\n→ ${String(response.statusCode)} ${response.body.slice(0, 400)}`;
  const upstream =
    response.statusCode === 502 &&
    options.upstream?.includes(String(response.json<{ error?: unknown }>().error)) === true;
  if (!upstream) expect(response.statusCode, what).toBeLessThan(500);
  const after = await snapshot(t.db);
  const rejected = rejectedDocuments(response);
  if (rejected !== null) {
    // A push answered 200 with every document rejected: a refusal like a 4xx (DESIGN 8).
    for (const reason of rejected) expect(reason, what).toMatch(SENTENCE);
    expect(differences(before, after), `a rejected push changed rows: ${what}`).toBe('');
    return { outcome: 'refused', after, response };
  }
  if (response.statusCode >= 300 && response.statusCode < 400) {
    // Sent to sign in first: refused, with the sign-in page as the message.
    if (/signin/.test(response.headers.location ?? '')) {
      expect(differences(before, after), `a request sent to sign in changed rows: ${what}`).toBe(
        '',
      );
      return { outcome: 'refused', after, response };
    }
  }
  if (response.statusCode < 400) return { outcome: 'accepted', after, response };
  expect(refusalMessage(response), what).toMatch(SENTENCE);
  expect(differences(before, after), `a refused request changed rows: ${what}`).toBe('');
  return { outcome: 'refused', after, response };
}

/**
 * Runs `numRuns` requests from `requests` against one app: refused requests change nothing, so
 * the app is shared; after an accepted one the snapshot moves on. The seed is printed on failure.
 */
export async function fuzzRoute(
  t: TestApp,
  name: string,
  requests: fc.Arbitrary<FuzzRequest>,
  options: { readonly numRuns: number; readonly upstream?: readonly string[] },
): Promise<{ refused: number; accepted: number; answers: Map<string, number> }> {
  const seed = fuzzSeed();
  let before = await snapshot(t.db);
  const counts = { refused: 0, accepted: 0 };
  const answers = new Map<string, number>();
  try {
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        // A minute between requests, as a person would take: the per-code and sign-in limits
        // (which run on the app's clock) then refuse only what a person could not send.
        t.clock.advance(60_000);
        const checked = await checkRequest(t, request, before, options);
        counts[checked.outcome] += 1;
        const key = `${String(checked.response.statusCode)} ${answerCode(checked.response)}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        before = checked.after;
      }),
      // No shrinking: accepted requests move the app's state on, so a smaller counterexample
      // tried afterwards would meet another state. The seed and path replay the run itself.
      { seed, numRuns: options.numRuns, endOnFailure: true },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${name}: replay with FUZZ_SEED=${String(seed)}\n${message}`, {
      cause: error,
    });
  }
  return { ...counts, answers };
}

/** The error code of a JSON refusal, else the content type: for the statistics of a run. */
function answerCode(response: LightMyRequestResponse): string {
  const type = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
  if (type !== 'application/json' || response.statusCode < 400) return type;
  return String(response.json<{ error?: unknown }>().error);
}
