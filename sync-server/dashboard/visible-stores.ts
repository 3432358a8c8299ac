import type { Db, StoresTable } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { DashboardUser } from './session.ts';

/**
 * What a dashboard user may see: an admin of every store (store null) sees all stores; anyone
 * else only their own. Cashiers never get this far (no dashboard session). A store a user may
 * not see answers exactly like one that does not exist, so ids of other stores reveal nothing.
 */
export type VisibleStore = {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
};

export function seesEveryStore(user: Pick<DashboardUser, 'role' | 'storeId'>): boolean {
  return user.role === 'admin' && user.storeId === null;
}

export function canSeeStore(
  user: Pick<DashboardUser, 'role' | 'storeId'>,
  storeId: string,
): boolean {
  return seesEveryStore(user) || user.storeId === storeId;
}

function toVisible(row: Pick<StoresTable, 'id' | 'name' | 'currency'>): VisibleStore {
  return { id: row.id, name: row.name, currency: row.currency };
}

/** The stores a user may see and change, by name. */
export async function storesVisibleTo(
  db: Db,
  user: Pick<DashboardUser, 'role' | 'storeId'>,
): Promise<VisibleStore[]> {
  let query = db.selectFrom('stores').select(['id', 'name', 'currency']).orderBy('name');
  if (!seesEveryStore(user)) query = query.where('id', '=', user.storeId ?? '');
  return (await query.execute()).map(toVisible);
}

/** The store of a URL or form, or 404 when it does not exist or the user may not see it. */
export async function requireVisibleStore(
  db: Db,
  user: Pick<DashboardUser, 'role' | 'storeId'>,
  storeId: string,
): Promise<VisibleStore> {
  const row = canSeeStore(user, storeId)
    ? await db
        .selectFrom('stores')
        .select(['id', 'name', 'currency'])
        .where('id', '=', storeId)
        .executeTakeFirst()
    : undefined;
  if (!row) {
    throw new HttpError(
      404,
      'store_not_found',
      'There is no such store among yours. Pick one from the list.',
    );
  }
  return toVisible(row);
}
