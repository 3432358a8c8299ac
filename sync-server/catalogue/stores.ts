import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import type { Db, DbOrTrx, StoresTable } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { DEMO_STORE, seedDemoCatalogue } from './demo-catalogue.ts';
import { seedDemoStaff } from '../staff/demo-staff.ts';

export type Store = { id: string; name: string; currency: string; createdAt: string };

export type StoreSettings = {
  readonly demo: boolean;
  /** Used only when the first (non-demo) store is created; later starts keep what is stored. */
  readonly name: string;
  readonly currency: string;
  /**
   * Outside demo mode, use the demo store instead of creating one if it is the only store: the
   * `pairing-code` command run without DEMO=1 against a demo data directory.
   */
  readonly preferExisting?: boolean;
};

function toStore(row: StoresTable): Store {
  return { id: row.id, name: row.name, currency: row.currency, createdAt: row.created_at };
}

export async function findStore(db: DbOrTrx, id: string): Promise<Store | undefined> {
  const row = await db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toStore(row);
}

/**
 * The store this server serves, created on first start. The walking skeleton has one store per
 * server (accounts with several stores come later); in demo mode it is the demo store.
 */
export async function ensureStore(
  db: Db,
  settings: StoreSettings,
  deps: { clock: Clock; randomBytes: RandomBytes },
): Promise<Store> {
  if (settings.demo) {
    await seedDemoCatalogue(db, deps.clock);
    await seedDemoStaff(db, deps.clock);
    const demo = await findStore(db, DEMO_STORE.id);
    if (!demo) throw new Error('The demo store could not be created.');
    return demo;
  }
  // One transaction: two instances starting at once on an empty PostgreSQL make one store.
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('stores')
      .selectAll()
      .where('id', '!=', DEMO_STORE.id)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst();
    if (existing) return toStore(existing);
    const demo = settings.preferExisting ? await findStore(trx, DEMO_STORE.id) : undefined;
    if (demo) return demo;
    const row: StoresTable = {
      id: newId('store', deps.randomBytes),
      name: settings.name,
      currency: settings.currency,
      created_at: isoNow(deps.clock),
    };
    await trx.insertInto('stores').values(row).execute();
    return toStore(row);
  });
}
