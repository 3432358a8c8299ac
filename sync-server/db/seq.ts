import type { DbOrTrx } from './schema.ts';

/**
 * Reserves `count` consecutive numbers of the server's change sequence and returns the first.
 * One counter across all tables, bumped inside the caller's transaction, so the sequence is
 * monotonic and gap-free in commit order on SQLite (one writer) and row-locked on PostgreSQL.
 * Pull checkpoints are these numbers; device clocks never order anything (DESIGN invariant 3).
 */
export async function reserveSeq(trx: DbOrTrx, count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('Reserve at least one seq.');
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('name', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value - count + 1;
}

/** The next number of the change sequence; call it inside the transaction that writes the row. */
export function nextSeq(trx: DbOrTrx): Promise<number> {
  return reserveSeq(trx, 1);
}
