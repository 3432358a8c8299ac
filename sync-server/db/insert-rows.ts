import { CompiledQuery, type Insertable } from 'kysely';
import { isPostgres } from './connection.ts';
import type { Database, DbOrTrx } from './schema.ts';

/** Parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535 by a wide margin. */
const MAX_PARAMETERS = 10_000;

/** A table or column name as the migrations write them. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The statement texts made so far, by engine, table, columns, row count and conflict clause. */
const texts = new Map<string, string>();

function insertText(
  postgres: boolean,
  table: string,
  columns: readonly string[],
  rows: number,
  ignoring: string | undefined,
): string {
  const key = [postgres ? 'pg' : 'sqlite', table, columns.join(','), rows, ignoring].join('\u0000');
  let text = texts.get(key);
  if (text === undefined) {
    // Names are written into the text, values never are: a name must be a plain identifier, so a
    // row built from a spread of unchecked input can never put SQL into the statement.
    for (const name of [table, ...columns, ...(ignoring === undefined ? [] : [ignoring])]) {
      if (!IDENTIFIER.test(name))
        throw new Error(`insertRows: ${JSON.stringify(name)} is not a column name.`);
    }
    let parameter = 0;
    const tuple = (): string =>
      `(${columns.map(() => (postgres ? `$${String(++parameter)}` : '?')).join(', ')})`;
    const tuples = Array.from({ length: rows }, tuple).join(', ');
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples}`;
    if (ignoring !== undefined) text += ` on conflict ("${ignoring}") do nothing`;
    texts.set(key, text);
  }
  return text;
}

/**
 * How many rows each statement takes. PostgreSQL: as many as fit, one round trip. SQLite: a
 * power of two each (100 rows: 64 + 32 + 4), so a table is written by at most a dozen distinct
 * statement texts whose prepared statements stay kept (connection.ts): preparing a statement
 * of a few thousand parameters cost more than running it, and pushed batches hold any number of
 * codes.
 */
function statementSizes(postgres: boolean, rows: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  while (left > 0) {
    let size = Math.min(left, perStatement);
    if (!postgres) size = 2 ** Math.floor(Math.log2(size));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * `insert into <table> (<columns>) values (…), (…)` for many rows, as Kysely's insertInto(…)
 * .values(rows) writes it, without building and compiling Kysely's query tree: for a pushed batch
 * of sales (a few hundred rows of codes and their events) that tree cost more CPU than SQLite
 * spent inserting the rows. The columns are the first row's keys; every row must give each of
 * them (null for none): a missing one throws instead of writing a default. `ignoring`: a unique
 * column whose conflicts skip the row (`on conflict (…) do nothing`).
 */
export async function insertRows<T extends keyof Database>(
  trx: DbOrTrx,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  options: { readonly ignoring?: keyof Database[T] & string } = {},
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const postgres = isPostgres(trx);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  let start = 0;
  for (const size of statementSizes(postgres, rows.length, perStatement)) {
    const parameters: unknown[] = [];
    for (const row of rows.slice(start, start + size)) {
      for (const column of columns) {
        const value = (row as Record<string, unknown>)[column];
        if (value === undefined) throw new Error(`insertRows: ${table}.${column} is not given.`);
        parameters.push(value);
      }
    }
    start += size;
    await trx.executeQuery(
      CompiledQuery.raw(insertText(postgres, table, columns, size, options.ignoring), parameters),
    );
  }
}

/**
 * The keys of a `where … in (…)` list padded to a power of two (at least 8) with repeats of the
 * last, which change nothing: pushed batches ask for any number of codes, and each count was a
 * new statement text for SQLite to prepare.
 */
export function paddedKeys<K>(keys: readonly K[]): K[] {
  const last = keys.at(-1);
  if (last === undefined) return [];
  const size = Math.max(8, 2 ** Math.ceil(Math.log2(keys.length)));
  const padded = [...keys];
  while (padded.length < size) padded.push(last);
  return padded;
}
