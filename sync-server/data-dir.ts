import { ensureStore, type Store } from './catalogue/stores.ts';
import { databasePath, openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Db } from './db/schema.ts';
import type { Clock, RandomBytes } from './deps.ts';
import { loadOrCreateMasterKey } from './keys/master-key.ts';

export type DataDirSettings = {
  readonly dataDir: string;
  readonly demo: boolean;
  readonly storeName: string;
  readonly storeCurrency: string;
  /** See StoreSettings.preferExisting. */
  readonly preferExistingStore?: boolean;
};

export type OpenDataDir = { db: Db; masterKey: Uint8Array; store: Store };

/** Opens DATA_DIR: master key, database migrated to the latest schema, the store ensured. */
export async function openDataDir(
  settings: DataDirSettings,
  deps: { clock: Clock; randomBytes: RandomBytes },
): Promise<OpenDataDir> {
  const masterKey = loadOrCreateMasterKey(settings.dataDir, deps.randomBytes);
  const db = openDatabase(databasePath(settings.dataDir));
  try {
    await migrateToLatest(db);
    const store = await ensureStore(
      db,
      {
        demo: settings.demo,
        name: settings.storeName,
        currency: settings.storeCurrency,
        preferExisting: settings.preferExistingStore ?? false,
      },
      deps,
    );
    return { db, masterKey, store };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
