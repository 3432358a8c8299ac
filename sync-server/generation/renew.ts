import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { systemRandomBytes, type RandomBytes } from '../deps.ts';
import { GENERATION_COUNTER, newGeneration } from './generation.ts';

/**
 * Gives a restored SQLite database a new generation, so every terminal pushes all it holds again
 * (the backup lacks what the server confirmed after it). Returns the new generation.
 */
export function renewGenerationSqlite(
  db: SQLite.Database,
  randomBytes: RandomBytes = systemRandomBytes,
): number {
  const row = db.prepare('SELECT value FROM counters WHERE name = ?').get(GENERATION_COUNTER) as
    { value: number } | undefined;
  const generation = newGeneration(randomBytes, row?.value ?? null);
  db.prepare(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  ).run(GENERATION_COUNTER, generation);
  return generation;
}

/** The same on PostgreSQL; call it inside the restore's closing transaction. */
export async function renewGenerationPostgres(
  client: pg.Client,
  randomBytes: RandomBytes = systemRandomBytes,
): Promise<number> {
  const result = await client.query<{ value: number }>(
    'SELECT value FROM counters WHERE name = $1',
    [GENERATION_COUNTER],
  );
  const generation = newGeneration(randomBytes, result.rows[0]?.value ?? null);
  await client.query(
    'INSERT INTO counters (name, value) VALUES ($1, $2::integer) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    [GENERATION_COUNTER, generation],
  );
  return generation;
}
