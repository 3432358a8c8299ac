import { CompiledQuery, type Insertable } from 'kysely';
import { isPostgres } from './connection.ts';
import type { Database, DbOrTrx } from './schema.ts';

/** Parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535 by a wide margin. */
const MAX_PARAMETERS = 10_000;

/** The statement texts made so far, by engine, table, columns and row count. */
const texts = new Map<string, string>();

function insertText(postgres: boolean, table: string, columns: readonly string[], rows: number) {
  const key = `${postgres ? 'pg' : 'sqlite'}\u0000${table}\u0000${columns.join(',')}\u0000${String(rows)}`;
  let text = texts.get(key);
  if (text === undefined) {
    let parameter = 0;
    const tuple = (): string =>
      `(${columns.map(() => (postgres ? `$${String(++parameter)}` : '?')).join(', ')})`;
    const tuples = Array.from({ length: rows }, tuple).join(', ');
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples}`;
    texts.set(key, text);
  }
  return text;
}

/**
 * `insert into <table> (<columns>) values (…), (…)` for many rows, as Kysely's insertInto(…)
 * .values(rows) writes it, without building and compiling Kysely's query tree: for a pushed batch
 * of sales (a few hundred rows of codes and their events) that tree cost more CPU than SQLite
 * spent inserting the rows. The text for a number of rows is made once and kept, so SQLite's
 * prepared statement is kept too (connection.ts). The columns are the first row's keys; every
 * row must give each of them (null for none): a missing one throws instead of writing a default.
 * Chunked under the parameter limits.
 */
export async function insertRows<T extends keyof Database>(
  trx: DbOrTrx,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const postgres = isPostgres(trx);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    for (const row of chunk) {
      for (const column of columns) {
        const value = (row as Record<string, unknown>)[column];
        if (value === undefined) throw new Error(`insertRows: ${table}.${column} is not given.`);
        parameters.push(value);
      }
    }
    await trx.executeQuery(
      CompiledQuery.raw(insertText(postgres, table, columns, chunk.length), parameters),
    );
  }
}
