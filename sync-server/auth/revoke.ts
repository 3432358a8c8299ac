import { isoNow, type AppContext, type Clock } from '../deps.ts';
import type { Db } from '../db/schema.ts';

/** What a revoked terminal is told, on its live stream and (same words) on its next request. */
export const TERMINAL_REVOKED_MESSAGE =
  'This terminal was revoked by a manager. Ask a manager to enrol it again.';

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

/**
 * Revokes a terminal and ends its open live streams at once, so the counter locks and says why
 * without waiting for its next request. The signal goes even when the terminal was already
 * revoked: a stream opened just before an earlier revocation must not outlive it.
 */
export async function revokeTerminalNow(
  ctx: Pick<AppContext, 'db' | 'clock' | 'notifier'>,
  terminalId: string,
): Promise<boolean> {
  const revoked = await revokeTerminal(ctx.db, terminalId, ctx.clock);
  ctx.notifier.revoke(terminalId, TERMINAL_REVOKED_MESSAGE);
  return revoked;
}
