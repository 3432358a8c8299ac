import type { DbOrTrx } from '../db/schema.ts';

/** What tests ask of a code's row and history; one place, so each test reads as its claim. */

export function entitlementOf(db: DbOrTrx, code: string) {
  return db
    .selectFrom('entitlements')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
}

export async function stateOf(db: DbOrTrx, code: string): Promise<string> {
  return (await entitlementOf(db, code)).state;
}

/** The newest change sequence number handed out: a row that just changed carries it. */
export async function latestSeq(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', 'change_seq')
    .executeTakeFirstOrThrow();
  return row.value;
}
