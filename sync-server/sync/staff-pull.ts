import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { staffOfStore, toStaffMember } from '../staff/staff.ts';
import { ensureStoreSettings, toStoreSettings } from '../staff/store-settings.ts';
import { storePullRoute } from './pull.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * Staff and settings are server-written (DESIGN invariant 2) and pulled like products: everything
 * of the terminal's store after the checkpoint seq, oldest change first (storePullRoute).
 */
export function staffPullRoutes(app: FastifyInstance, ctx: AppContext): void {
  storePullRoute(
    app,
    '/staff/pull',
    ({ storeId }, query) =>
      staffOfStore(ctx.db, storeId)
        .where('seq', '>', query.seq)
        .orderBy('seq')
        .limit(query.limit)
        .execute(),
    toStaffMember,
  );

  storePullRoute(
    app,
    '/settings/pull',
    async ({ storeId }, query) => {
      // A store nobody has configured still gets its defaults, so a counter always has rules.
      await inTransaction(ctx.db, (trx) => ensureStoreSettings(trx, storeId, ctx.clock));
      return ctx.db
        .selectFrom('store_settings')
        .selectAll()
        .where('store_id', '=', storeId)
        .where('seq', '>', query.seq)
        .orderBy('seq')
        .limit(query.limit)
        .execute();
    },
    toStoreSettings,
  );
}

type Publisher = Pick<AppContext, 'db' | 'notifier'>;

/**
 * Tells the live streams that staff changed; call after the change committed. `null`: an admin of
 * every store changed, so every store's terminals pull.
 */
export async function publishStaffChange(ctx: Publisher, storeId: string | null): Promise<void> {
  const storeIds =
    storeId === null
      ? (await ctx.db.selectFrom('stores').select('id').execute()).map((row) => row.id)
      : [storeId];
  for (const id of storeIds) ctx.notifier.publish(id, ['staff']);
}

/** Tells a store's live streams that its settings changed; call after the change committed. */
export function publishSettingsChange(ctx: Pick<AppContext, 'notifier'>, storeId: string): void {
  ctx.notifier.publish(storeId, ['settings']);
}
