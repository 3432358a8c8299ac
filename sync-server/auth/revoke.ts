import { isoNow, type Clock } from '../deps.ts';
import type { Db } from '../db/schema.ts';

/**
 * Revokes a terminal: its token stops working on the next request. Its sales and codes stay
 * valid (they were genuine when issued). Returns false if it was unknown or already revoked.
 */
export async function revokeTerminal(db: Db, terminalId: string, clock: Clock): Promise<boolean> {
  const result = await db
    .updateTable('terminals')
    .set({ revoked_at: isoNow(clock) })
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
