import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import { seal } from '../keys/seal.ts';
import { CODE_KEY_BYTES, hashSecret, newTerminalPrefix, newToken } from '../keys/secrets.ts';
import { HttpError } from '../http/errors.ts';
import { usePairingCode } from './pairing-codes.ts';
import { inTransaction } from '../db/transaction.ts';

export type EnrolDeps = {
  readonly db: Db;
  readonly masterKey: Uint8Array;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly publicUrl: () => string;
};

const PREFIX_ATTEMPTS = 20;

/** The authenticated data bound to a sealed code key: it opens only on its own terminal's row. */
export function codeKeyContext(terminalId: string): string {
  return `terminal-code-key:${terminalId}`;
}

function pairingCodeInvalid(): HttpError {
  return new HttpError(
    400,
    'pairing_code_invalid',
    'That pairing code is not valid, already used or expired. Create a new one on the server (npm run server -- pairing-code).',
  );
}

async function uniquePrefix(trx: DbOrTrx, randomBytes: RandomBytes): Promise<string> {
  for (let attempt = 0; attempt < PREFIX_ATTEMPTS; attempt++) {
    const prefix = newTerminalPrefix(randomBytes);
    const taken = await trx
      .selectFrom('terminals')
      .select('id')
      .where('code_prefix', '=', prefix)
      .executeTakeFirst();
    if (!taken) return prefix;
  }
  throw new Error(`No free terminal prefix after ${PREFIX_ATTEMPTS} attempts.`);
}

/**
 * Creates the terminal and its secrets. The token and the code key leave the server once, in
 * this response; the server keeps the token's hash and the key sealed under the master key.
 */
async function createTerminal(
  trx: DbOrTrx,
  deps: EnrolDeps,
  storeId: string,
  terminalName: string,
): Promise<EnrolResponse> {
  const store = await trx
    .selectFrom('stores')
    .selectAll()
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const id = newId('term', deps.randomBytes);
  const prefix = await uniquePrefix(trx, deps.randomBytes);
  const token = newToken(deps.randomBytes);
  const codeKey = deps.randomBytes(CODE_KEY_BYTES);
  const now = isoNow(deps.clock);
  await trx
    .insertInto('terminals')
    .values({
      id,
      store_id: store.id,
      name: terminalName,
      code_prefix: prefix,
      token_hash: hashSecret(token),
      code_key_enc: seal(deps.masterKey, codeKey, codeKeyContext(id), deps.randomBytes),
      created_at: now,
      last_seen_at: null,
      revoked_at: null,
    })
    .execute();
  return {
    storeId: store.id,
    storeName: store.name,
    currency: store.currency,
    terminalId: id,
    terminalName,
    terminalPrefix: prefix,
    token,
    codeKey: Buffer.from(codeKey).toString('base64url'),
    redeemBaseUrl: `${deps.publicUrl()}/redeem`,
    enrolledAt: now,
  };
}

/** Enrols with a pairing code; the code is used up in the same transaction. */
export function enrolWithPairingCode(
  deps: EnrolDeps,
  input: { pairingCode: string; terminalName: string },
): Promise<EnrolResponse> {
  return inTransaction(deps.db, async (trx) => {
    const storeId = await usePairingCode(trx, input.pairingCode, deps.clock);
    if (storeId === null) throw pairingCodeInvalid();
    return createTerminal(trx, deps, storeId, input.terminalName);
  });
}

/** Demo mode only: any terminal may join the demo store without a code. */
export function enrolIntoStore(
  deps: EnrolDeps,
  storeId: string,
  terminalName: string,
): Promise<EnrolResponse> {
  return inTransaction(deps.db, (trx) => createTerminal(trx, deps, storeId, terminalName));
}
