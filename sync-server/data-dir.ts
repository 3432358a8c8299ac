import { ensureStore, type Store } from './catalogue/stores.ts';
import { locationOf, openLocation } from './db/connection.ts';
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
  /** PostgreSQL; unset: SQLite in the data directory. The master key stays in the data directory. */
  readonly databaseUrl?: string | undefined;
  /** PostgreSQL only: told when an idle pooled connection breaks. */
  readonly onIdleError?: (error: Error) => void;
};

export type OpenDataDir = { db: Db; masterKey: Uint8Array; store: Store };

/**
 * Opens DATA_DIR (the master key, and the SQLite file unless DATABASE_URL names PostgreSQL): the
 * database migrated to the latest schema, the store ensured. Several instances on one PostgreSQL
 * must share the same master key file.
 */
export async function openDataDir(
  settings: DataDirSettings,
  deps: { clock: Clock; randomBytes: RandomBytes },
): Promise<OpenDataDir> {
  const masterKey = loadOrCreateMasterKey(settings.dataDir, deps.randomBytes);
  const db = openLocation(
    locationOf(settings),
    settings.onIdleError ? { onIdleError: settings.onIdleError } : {},
  );
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
