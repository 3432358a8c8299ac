import type { Observable } from 'rxjs';
import type { RxCollection } from 'rxdb';
import { getChangedDocumentsSince } from 'rxdb';
import { combineLatest, distinctUntilChanged, filter, map, merge, of, switchMap } from 'rxjs';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { localDocument$ } from '../data/local-document.ts';
import { coalescedRecount } from './coalesced-recount.ts';
import type { SyncAckDoc } from '../data/local-schemas.ts';

/**
 * Sales made since `since`, newest first. The query walks the createdAt index forwards from
 * `since` and reverses in memory: Dexie reads the whole index range for a descending sort
 * (DESIGN "Sync"), so the range, not a limit, is what keeps this cheap with 100,000 sales.
 */
export function salesSince$(db: EntitleDatabase, since: Date): Observable<Sale[]> {
  return db.sales
    .find({ selector: { createdAt: { $gte: since.toISOString() } }, sort: [{ createdAt: 'asc' }] })
    .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON()).reverse()));
}

export function startOfDay(now: Date, daysBack = 0): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
}

export function sale$(db: EntitleDatabase, saleId: string): Observable<Sale | null> {
  return db.sales.findOne(saleId).$.pipe(map((doc) => doc?.toMutableJSON() ?? null));
}

/**
 * The templates of the products a sale sold, by product id, from the local catalogue: the receipt
 * prints validity and events from them offline. A product no longer in the catalogue is missing.
 */
export function templatesOfSale$(
  db: EntitleDatabase,
  saleId: string,
): Observable<Map<string, ProductTemplate | null>> {
  return sale$(db, saleId).pipe(
    switchMap((sale) =>
      sale === null
        ? of(new Map<string, ProductTemplate | null>())
        : db.products
            .findByIds([...new Set(sale.lines.map((line) => line.productId))])
            .$.pipe(
              map(
                (docs) => new Map([...docs].map(([id, doc]) => [id, doc.toMutableJSON().template])),
              ),
            ),
    ),
  );
}

/** The server's word on each code of a sale, by code. Missing means the sale has not synced. */
export function statusesOfSale$(
  db: EntitleDatabase,
  saleId: string,
): Observable<Map<string, EntitlementStatus>> {
  return db.entitlements
    .find({ selector: { saleId } })
    .$.pipe(map((docs) => new Map(docs.map((doc) => [doc.code, doc.toMutableJSON()]))));
}

export function acks$(db: EntitleDatabase): Observable<Map<string, SyncAckDoc>> {
  return db.sync_acks
    .find()
    .$.pipe(map((docs) => new Map(docs.map((doc) => [doc.id, doc.toMutableJSON()]))));
}

/** The local document holding the generation hint (GENERATION_DOC in renderer/sync/replication.ts). */
const GENERATION_HINT_DOC = 'sync-generation';

/**
 * Per pushed collection, a write time (RxDB's `_meta.lwt`) below which every fact is known to be
 * acknowledged, valid for the acknowledgements of one generation (`keyedOn` of the generation
 * hint: accepted acks are removed only when it changes, renderer/sync/replication.ts).
 */
export type PendingFloor = { readonly keyedOn: number | null; readonly lwt: number };
export const pendingFloorId = (name: PushedFact) => `pending-floor-${name}`;
type PushedFact = 'sales' | 'voids' | 'refunds';

/**
 * The floor is kept this far behind the oldest fact still waiting (or the newest one seen): a
 * fact written in another tab a moment "earlier" than one already seen is still counted.
 */
const FLOOR_MARGIN_MS = 60_000;
/** The floor is stored again only when it moves this much, not on every acknowledgement. */
const FLOOR_STEP_MS = 1_000;
/** Writes that come while a recount runs wait this long for one more (bursts of acks). */
const RECOUNT_REST_MS = 250;

/**
 * The facts of one collection written at or after its floor that have no acknowledgement yet.
 * Reads the facts written since the floor through the `_meta.lwt` index RxDB keeps for push
 * replication, then their acks by id: the cost follows what is recent, not the whole history.
 * Read again on every write to the collection or to sync_acks. Moves the floor up to a margin
 * below the oldest fact still waiting, so the next start reads little.
 */
function unacknowledged$(db: EntitleDatabase, name: PushedFact): Observable<number | null> {
  const collection = db[name] as unknown as RxCollection<{ id: string }>;
  const floorDoc$ = localDocument$<PendingFloor>(db, pendingFloorId(name));
  const hint$ = localDocument$<{ keyedOn: number | null }>(db, GENERATION_HINT_DOC);
  const floor$ = combineLatest([floorDoc$, hint$]).pipe(
    map(([floorDoc, hintDoc]) => {
      const hint = hintDoc?.toJSON().data as { keyedOn: number | null } | undefined;
      const keyedOn = hint?.keyedOn ?? null;
      const stored = floorDoc?.toJSON().data as PendingFloor | undefined;
      return {
        keyedOn,
        floor: stored !== undefined && stored.keyedOn === keyedOn ? stored.lwt : 0,
      };
    }),
    distinctUntilChanged((a, b) => a.keyedOn === b.keyedOn && a.floor === b.floor),
  );
  const written$ = merge(of(null), collection.eventBulks$, db.sync_acks.eventBulks$);
  const recount = async (keyedOn: number | null, floor: number): Promise<number> => {
    const since = await getChangedDocumentsSince<{ id: string }, { id: string; lwt: number }>(
      collection.storageInstance,
      1_000_000,
      { id: '', lwt: floor },
    );
    const written = since.documents
      .filter((doc) => !doc._deleted)
      .map((doc) => ({ id: doc.id, lwt: doc._meta.lwt }));
    // Straight from storage: findByIds makes an RxQuery ({id: {$in: ids}}) that RxDB keeps and
    // re-checks against every later ack, thousands of ids at a time during a push.
    const acked = new Set(
      (
        await db.sync_acks.storageInstance.findDocumentsById(
          written.map((fact) => fact.id),
          false,
        )
      ).map((ack) => ack.id),
    );
    const waiting = written.filter((fact) => !acked.has(fact.id));
    // Oldest waiting fact, else the newest written one (-Infinity when nothing was written).
    const bound =
      waiting.length > 0
        ? waiting.reduce((oldest, fact) => Math.min(oldest, fact.lwt), Infinity)
        : written.reduce((newest, fact) => Math.max(newest, fact.lwt), -Infinity);
    const next = bound - FLOOR_MARGIN_MS;
    if (Number.isFinite(next) && next >= floor + FLOOR_STEP_MS) {
      await db.upsertLocal<PendingFloor>(pendingFloorId(name), { keyedOn, lwt: next });
    }
    return waiting.length;
  };
  // null at once on every write, then a count taken after the last one: a count read before a
  // write finished is never shown as current. One recount at a time: each reads every fact
  // waiting, so one per ack during a push of a big backlog would cost O(backlog²).
  return coalescedRecount(
    combineLatest([floor$, written$]),
    ([{ keyedOn, floor }]) => recount(keyedOn, floor),
    RECOUNT_REST_MS,
  );
}

/**
 * Sales, voids and refunds the server has not acknowledged yet: what "waiting to sync" counts.
 * Each is acknowledged by its own id in sync_acks. Counted as the facts without an ack, never as
 * "facts minus acks": the terminal's audit events are acknowledged in sync_acks too, and a
 * difference of two counts read one after the other could read 0 while sales are in flight.
 * `terminalId` is kept for callers; the count no longer needs it. null while a count is being
 * taken after a write: the last number shown may be out of date then.
 */
export function pendingCountOrRecounting$(
  db: EntitleDatabase,
  _terminalId?: string,
): Observable<number | null> {
  return combineLatest([
    unacknowledged$(db, 'sales'),
    unacknowledged$(db, 'voids'),
    unacknowledged$(db, 'refunds'),
  ]).pipe(
    map(([sales, voids, refunds]) =>
      sales === null || voids === null || refunds === null ? null : sales + voids + refunds,
    ),
    distinctUntilChanged(),
  );
}

/** The same count, only when it is current (each value was taken after the last write). */
export function pendingCount$(db: EntitleDatabase, terminalId?: string): Observable<number> {
  return pendingCountOrRecounting$(db, terminalId).pipe(
    filter((count): count is number => count !== null),
  );
}

/**
 * Voids written since `since`, by sale id: the Sales screen's badges for the same period. A void
 * is written on this terminal after its sale, so the voids of the sales listed since `since`
 * were written since then too, and the createdAt index bounds the query. (Were the clock turned
 * back between sale and void, the badge would be missing but `voidSale` still refuses twice.)
 */
export function voidsSince$(db: EntitleDatabase, since: Date): Observable<Map<string, SaleVoid>> {
  return db.voids
    .find({ selector: { createdAt: { $gte: since.toISOString() } }, sort: [{ createdAt: 'asc' }] })
    .$.pipe(map((docs) => new Map(docs.map((doc) => [doc.saleId, doc.toMutableJSON()]))));
}

/** The void of one sale, or null: the receipt's VOIDED banner. */
export function voidOfSale$(db: EntitleDatabase, saleId: string): Observable<SaleVoid | null> {
  return db.voids
    .findOne({ selector: { saleId } })
    .$.pipe(map((doc) => doc?.toMutableJSON() ?? null));
}

export function rejectedCount$(db: EntitleDatabase): Observable<number> {
  return db.sync_acks.count({ selector: { outcome: 'rejected' } }).$;
}

/**
 * Refunds written since `since`, grouped by sale id: the Sales screen's "Refunded" / "Partly
 * refunded" badges for the same period (bounded by the createdAt index, as voidsSince$).
 */
export function refundsSince$(
  db: EntitleDatabase,
  since: Date,
): Observable<Map<string, SaleRefund[]>> {
  return db.refunds
    .find({ selector: { createdAt: { $gte: since.toISOString() } }, sort: [{ createdAt: 'asc' }] })
    .$.pipe(
      map((docs) => {
        const bySale = new Map<string, SaleRefund[]>();
        for (const doc of docs) {
          const refund = doc.toMutableJSON();
          bySale.set(refund.saleId, [...(bySale.get(refund.saleId) ?? []), refund]);
        }
        return bySale;
      }),
    );
}

/** Every refund of one sale, oldest first: the refund screen and the receipt. */
export function refundsOfSale$(db: EntitleDatabase, saleId: string): Observable<SaleRefund[]> {
  return db.refunds
    .find({ selector: { saleId } })
    .$.pipe(
      map((docs) =>
        docs
          .map((doc) => doc.toMutableJSON())
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      ),
    );
}
