import type { Db } from '../db/schema.ts';
import { systemRandomBytes, type RandomBytes } from '../deps.ts';

/** The `counters` row holding the database's generation (see GENERATION_HEADER). */
export const GENERATION_COUNTER = 'database_generation';

/** The largest generation: the counters column is int4 on PostgreSQL. */
const MAX_GENERATION = 0x7fff_ffff;

/**
 * A random generation in 1 … 2^31 − 1, never `previous`: a restore must change what terminals
 * see, or they would not push again.
 */
export function newGeneration(randomBytes: RandomBytes, previous: number | null = null): number {
  for (;;) {
    const bytes = randomBytes(4);
    const value =
      (((bytes[0] ?? 0) << 24) |
        ((bytes[1] ?? 0) << 16) |
        ((bytes[2] ?? 0) << 8) |
        (bytes[3] ?? 0)) &
      MAX_GENERATION;
    if (value !== 0 && value !== previous) return value;
  }
}

/**
 * The database's generation, made (at random) if the database has none yet. Read once as the
 * server starts: only `restore` renews it, and it refuses while a server runs. Several instances
 * starting at once agree, since only the first insert counts. Not from the app's (in tests seeded)
 * randomBytes: taking from it would shift every id and code a seeded test expects.
 */
export async function ensureGeneration(
  db: Db,
  randomBytes: RandomBytes = systemRandomBytes,
): Promise<number> {
  await db
    .insertInto('counters')
    .values({ name: GENERATION_COUNTER, value: newGeneration(randomBytes) })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', GENERATION_COUNTER)
    .executeTakeFirstOrThrow();
  return row.value;
}
