import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { EntitleDatabase } from './database.ts';
import { openEntitleDatabase } from './database.ts';

let devModeAdded = false;
let counter = 0;

/** A fresh in-memory database with RxDB's dev-mode checks and schema validation on. Close it after. */
export async function openTestDatabase(): Promise<EntitleDatabase> {
  if (!devModeAdded) {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    devModeAdded = true;
  }
  counter += 1;
  return openEntitleDatabase({
    name: `test-${String(Date.now())}-${String(counter)}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
  });
}
