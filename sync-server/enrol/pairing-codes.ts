import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import type { DbOrTrx } from '../db/schema.ts';
import {
  formatPairingCode,
  hashSecret,
  newPairingCode,
  normalisePairingCode,
} from '../keys/secrets.ts';

export const PAIRING_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export type NewPairingCode = { readonly code: string; readonly expiresAt: string };

/** A fresh single-use code for enrolling one terminal into the store; only its hash is kept. */
export async function createPairingCode(
  db: DbOrTrx,
  storeId: string,
  deps: { clock: Clock; randomBytes: RandomBytes },
): Promise<NewPairingCode> {
  const now = deps.clock();
  const code = newPairingCode(deps.randomBytes);
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({
      code_hash: hashSecret(code),
      store_id: storeId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { code: formatPairingCode(code), expiresAt };
}

/**
 * Marks the code used and returns its store, or null when it is unknown, used or expired.
 * One conditional UPDATE, so two terminals racing with the same code cannot both win.
 */
export async function usePairingCode(
  trx: DbOrTrx,
  typed: string,
  clock: Clock,
): Promise<string | null> {
  const code = normalisePairingCode(typed);
  if (code === null) return null;
  const now = isoNow(clock);
  const row = await trx
    .updateTable('pairing_codes')
    .set({ used_at: now })
    .where('code_hash', '=', hashSecret(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('store_id')
    .executeTakeFirst();
  return row?.store_id ?? null;
}
