import type { FastifyInstance } from 'fastify';
import { PullQuery, type PullResponse } from '../../shared/schemas/protocol.ts';
import type { StoreSettings } from '../../shared/schemas/store-settings.ts';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import { requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { parseOr400 } from '../http/errors.ts';
import { staffOfStore, toStaffMember } from '../staff/staff.ts';
import { ensureStoreSettings, toStoreSettings } from '../staff/store-settings.ts';
import { pullPage } from './pull.ts';

/**
 * Staff and settings are server-written (DESIGN invariant 2) and pulled like products: everything
 * of the terminal's store after the checkpoint seq, oldest change first (pullPage).
 */
export function staffPullRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/staff/pull', async (request): Promise<PullResponse<StaffMember>> => {
    const terminal = requireTerminal(request);
    const query = parseOr400(PullQuery, request.query, 'pull query');
    const rows = await staffOfStore(ctx.db, terminal.storeId)
      .where('seq', '>', query.seq)
      .orderBy('seq')
      .limit(query.limit)
      .execute();
    return pullPage(rows, query.seq, toStaffMember);
  });

  app.get('/settings/pull', async (request): Promise<PullResponse<StoreSettings>> => {
    const terminal = requireTerminal(request);
    const query = parseOr400(PullQuery, request.query, 'pull query');
    // A store nobody has configured still gets its defaults, so a counter always has rules.
    await ctx.db
      .transaction()
      .execute((trx) => ensureStoreSettings(trx, terminal.storeId, ctx.clock));
    const rows = await ctx.db
      .selectFrom('store_settings')
      .selectAll()
      .where('store_id', '=', terminal.storeId)
      .where('seq', '>', query.seq)
      .orderBy('seq')
      .limit(query.limit)
      .execute();
    return pullPage(rows, query.seq, toStoreSettings);
  });
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
