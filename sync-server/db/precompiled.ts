import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import type { DbOrTrx } from './schema.ts';

type Value = string | number;

/**
 * A hot query built and compiled once per database instead of at every call: Kysely's builder
 * and compiler took about 15 % of the server's busy time on the portal's code page under load
 * (bench/load/profile-redeem.ts), more than the statement itself. `build` makes the query from
 * its arguments; it is compiled once with placeholder arguments, and each call runs the same SQL
 * (so the same kept prepared statement on SQLite) with the placeholders' parameters replaced by
 * the call's arguments. Every argument must reach the SQL as a parameter of its own, unchanged
 * (a value given to `where`, `values`, `eb.val`...): compiling checks that each placeholder is
 * found, so a query that computes with one or inlines it fails at once instead of running wrong.
 * Placeholders must be distinct and unlike any constant the query holds; numbers are also
 * compiled plus a half, strings with a character appended, to tell parameters from constants.
 */
export function precompiled<Args extends readonly Value[], Row>(
  build: (db: DbOrTrx, ...args: Args) => Compilable<Row>,
  placeholders: Args,
): (db: DbOrTrx, ...args: Args) => Promise<Row[]> {
  const compiled = new WeakMap<DbOrTrx, { sql: CompiledQuery<Row>; slots: (number | null)[] }>();
  // A second set of placeholders: compiled with either, the SQL must be the same text, and the
  // parameters that differ are the arguments' (a value Kysely inlines, as `then(1)` does, would
  // change the text instead).
  const others = placeholders.map((value) =>
    typeof value === 'string' ? `${value}\u0001` : value + 0.5,
  ) as unknown as Args;
  const compile = (db: DbOrTrx): { sql: CompiledQuery<Row>; slots: (number | null)[] } => {
    const sql = build(db, ...placeholders).compile();
    const other = build(db, ...others).compile();
    if (other.sql !== sql.sql || other.parameters.length !== sql.parameters.length) {
      throw new Error('precompiled: an argument is not passed to the query as a parameter');
    }
    // For each parameter, the argument it stands for (null: a constant of the query itself).
    const slots = sql.parameters.map((parameter, position) => {
      if (parameter === other.parameters[position]) return null;
      const index = placeholders.indexOf(parameter as Value);
      if (index === -1 || others[index] !== other.parameters[position]) {
        throw new Error('precompiled: an argument is changed before it reaches the query');
      }
      return index;
    });
    placeholders.forEach((_placeholder, index) => {
      if (!slots.includes(index)) {
        throw new Error(`precompiled: argument ${String(index)} is not a parameter of the query`);
      }
    });
    const entry = { sql, slots };
    compiled.set(db, entry);
    return entry;
  };
  return async (db, ...args) => {
    const { sql, slots } = compiled.get(db) ?? compile(db);
    const parameters = sql.parameters.map((parameter, position) => {
      const slot = slots[position];
      return slot === null || slot === undefined ? parameter : args[slot];
    });
    const result = await db.executeQuery<Row>({ ...sql, parameters, queryId: createQueryId() });
    return result.rows;
  };
}
