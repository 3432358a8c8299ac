import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';

/**
 * Every row of every table, on either engine, rows sorted so a snapshot compares equal whatever
 * order the database returns them in: take one before and after a request that should change
 * nothing. `except` leaves out bookkeeping tables a request may legitimately touch.
 */
export async function snapshotTables(
  db: Db,
  except: readonly string[] = [],
): Promise<Record<string, string[]>> {
  const tables = (await db.introspection.getTables())
    .map((table) => table.name)
    .filter((name) => !except.includes(name))
    .sort();
  const out: Record<string, string[]> = {};
  for (const name of tables) {
    const rows = (await sql`select * from ${sql.table(name)}`.execute(db)).rows;
    out[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}
