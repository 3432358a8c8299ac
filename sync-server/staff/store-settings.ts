import { z } from 'zod';
import {
  DEFAULT_DISCOUNT_APPROVAL_MILLI_PERCENT,
  DEFAULT_IDLE_LOCK_SECONDS,
  StoreSettings,
} from '../../shared/schemas/store-settings.ts';
import type { DbOrTrx, StoreSettingsTable } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock } from '../deps.ts';

export function toStoreSettings(row: StoreSettingsTable): StoreSettings {
  return StoreSettings.parse({
    id: row.store_id,
    storeId: row.store_id,
    discountApprovalMilliPercent: row.discount_approval_milli_percent,
    idleLockSeconds: row.idle_lock_seconds,
    updatedAt: row.updated_at,
  });
}

/** A store's settings; the defaults are written on first read, so terminals always pull some. */
export async function ensureStoreSettings(
  trx: DbOrTrx,
  storeId: string,
  clock: Clock,
): Promise<StoreSettingsTable> {
  const existing = await trx
    .selectFrom('store_settings')
    .selectAll()
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  if (existing) return existing;
  const row: StoreSettingsTable = {
    store_id: storeId,
    discount_approval_milli_percent: DEFAULT_DISCOUNT_APPROVAL_MILLI_PERCENT,
    idle_lock_seconds: DEFAULT_IDLE_LOCK_SECONDS,
    updated_at: isoNow(clock),
    seq: await nextSeq(trx),
  };
  const inserted = await trx
    .insertInto('store_settings')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  // Another request may have written the defaults first: theirs is the row that exists.
  return (
    inserted ??
    (await trx
      .selectFrom('store_settings')
      .selectAll()
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow())
  );
}

export const SettingsChange = StoreSettings.pick({
  discountApprovalMilliPercent: true,
  idleLockSeconds: true,
}).partial();
export type SettingsChange = z.infer<typeof SettingsChange>;

export async function updateStoreSettings(
  trx: DbOrTrx,
  storeId: string,
  change: SettingsChange,
  clock: Clock,
): Promise<StoreSettingsTable> {
  const parsed = SettingsChange.parse(change);
  await ensureStoreSettings(trx, storeId, clock);
  return trx
    .updateTable('store_settings')
    .set({
      ...(parsed.discountApprovalMilliPercent === undefined
        ? {}
        : { discount_approval_milli_percent: parsed.discountApprovalMilliPercent }),
      ...(parsed.idleLockSeconds === undefined
        ? {}
        : { idle_lock_seconds: parsed.idleLockSeconds }),
      updated_at: isoNow(clock),
      seq: await nextSeq(trx),
    })
    .where('store_id', '=', storeId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
