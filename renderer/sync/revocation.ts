import { map, type Observable } from 'rxjs';
import type { EntitleDatabase } from '../data/database.ts';
import { localDocument$ } from '../data/local-document.ts';
import { ServerRefusal } from './api-client.ts';

/** The server's code for a terminal a manager revoked (sync-server/auth/terminal-auth.ts). */
export const TERMINAL_REVOKED = 'terminal_revoked';

/** True for the one refusal that ends this terminal's life: 401 terminal_revoked. */
export function isRevocation(error: unknown): boolean {
  return error instanceof ServerRefusal && error.status === 401 && error.code === TERMINAL_REVOKED;
}

/**
 * Remembered on the device, so a revoked terminal restarted offline stays locked instead of
 * selling until it next reaches the server.
 */
const REVOKED_DOC = 'terminal-revoked';
type RevokedMark = { at: string };

export async function rememberRevocation(db: EntitleDatabase, at: Date): Promise<void> {
  await db.upsertLocal<RevokedMark>(REVOKED_DOC, { at: at.toISOString() });
}

export function revokedOnDevice$(db: EntitleDatabase): Observable<boolean> {
  return localDocument$<RevokedMark>(db, REVOKED_DOC).pipe(map((doc) => doc !== null));
}
