import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomBytes } from '../deps.ts';

export const MASTER_KEY_BYTES = 32;

/**
 * The key that seals the terminals' code keys at rest (keys/seal.ts). Created once, readable by
 * the server's user only. Losing it means every terminal must enrol again: back it up with the
 * database, but not in the same place.
 */
export function loadOrCreateMasterKey(dataDir: string, randomBytes: RandomBytes): Uint8Array {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'master.key');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two servers starting at once cannot overwrite each other.
    writeFileSync(file, randomBytes(MASTER_KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const key = new Uint8Array(readFileSync(file));
  if (key.length !== MASTER_KEY_BYTES) {
    throw new Error(
      `${file} is damaged: it should hold ${MASTER_KEY_BYTES} bytes. Restore it from a backup; ` +
        'without it terminals must be enrolled again.',
    );
  }
  return key;
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
