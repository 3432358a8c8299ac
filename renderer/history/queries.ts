import type { RxChangeEventBulk, RxCollection } from 'rxdb';
import { getChangedDocumentsSince } from 'rxdb';
import {
  Observable,
  asyncScheduler,
  combineLatest,
  distinctUntilChanged,
  filter,
  map,
  merge,
  observeOn,
  of,
  switchMap,
} from 'rxjs';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { localDocument$ } from '../data/local-document.ts';
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

/**
 * The facts of one collection written at or after its floor that have no acknowledgement yet.
 * Counted once in full: the facts written since the floor, read through the `_meta.lwt` index RxDB
 * keeps, then their acks by id, so the cost follows what is recent, not the whole history. The
 * count moves the floor up to a margin below the oldest fact still waiting, so the next start
 * reads little. After that the ids waiting are kept in memory and each written batch adjusts
 * them: an ack removes its id, a new fact adds its id once a lookup of its ack says it has none.
 * Re-reading every waiting fact on each batch of acks cost the POS a third of its CPU during a
 * push (bench/sync-push/profile.ts). An ack removed (a new server generation) counts again in
 * full. null while a count or a lookup runs after a write.
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
  /** The ids among `ids` that have an acknowledgement, straight from storage. */
  const ackedAmong = async (ids: readonly string[]): Promise<Set<string>> =>
    new Set(
      // Not findByIds: that makes an RxQuery ({id: {$in: ids}}) that RxDB keeps and re-checks
      // against every later ack, thousands of ids at a time during a push.
      (await db.sync_acks.storageInstance.findDocumentsById([...ids], false)).map((ack) => ack.id),
    );
  const recount = async (keyedOn: number | null, floor: number): Promise<Set<string>> => {
    const since = await getChangedDocumentsSince<{ id: string }, { id: string; lwt: number }>(
      collection.storageInstance,
      1_000_000,
      { id: '', lwt: floor },
    );
    const written = since.documents
      .filter((doc) => !doc._deleted)
      .map((doc) => ({ id: doc.id, lwt: doc._meta.lwt }));
    const acked = await ackedAmong(written.map((fact) => fact.id));
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
    return new Set(waiting.map((fact) => fact.id));
  };
  type Written = { readonly facts: boolean; readonly bulk: RxChangeEventBulk<unknown> };
  const written$ = merge(
    collection.eventBulks$.pipe(map((bulk): Written => ({ facts: true, bulk }))),
    db.sync_acks.eventBulks$.pipe(map((bulk): Written => ({ facts: false, bulk }))),
  ).pipe(
    // A task later, in order: a sale's insert event fires inside the checkout, before its receipt
    // renders; the lookup of its ack and the status bar's update wait until after that render.
    observeOn(asyncScheduler),
  );
  return floor$.pipe(
    switchMap(
      ({ keyedOn, floor }) =>
        new Observable<number | null>((subscriber) => {
          /** The ids waiting; null while the full count runs. */
          let waiting: Set<string> | null = null;
          /** Batches written while the full count ran, applied after it in order. */
          let held: Written[] = [];
          let countAgain = false;
          /** Lookups of new facts' acks still running. */
          let lookups = 0;
          const emit = () => {
            if (!subscriber.closed)
              subscriber.next(waiting === null || lookups > 0 ? null : waiting.size);
          };
          const fail = (error: unknown) => {
            subscriber.error(error);
          };
          const apply = (set: Set<string>, { facts, bulk }: Written): void => {
            if (facts) {
              const added: string[] = [];
              for (const event of bulk.events) {
                if (event.operation === 'DELETE') set.delete(event.documentId);
                else if (event.operation === 'INSERT') {
                  set.add(event.documentId);
                  added.push(event.documentId);
                }
              }
              if (added.length === 0) return;
              // Its ack may be stored already (a fact written in another window arrives late).
              lookups += 1;
              ackedAmong(added).then((acked) => {
                lookups -= 1;
                if (set === waiting) for (const id of acked) set.delete(id);
                emit();
              }, fail);
              return;
            }
            if (bulk.events.some((event) => event.operation === 'DELETE')) {
              countInFull();
              return;
            }
            for (const event of bulk.events) set.delete(event.documentId);
          };
          const countInFull = (): void => {
            if (waiting === null) {
              countAgain = true;
              return;
            }
            waiting = null;
            held = [];
            countAgain = false;
            emit();
            recount(keyedOn, floor).then((ids) => {
              if (subscriber.closed) return;
              waiting = ids;
              if (countAgain) {
                countInFull();
                return;
              }
              const replay = held;
              held = [];
              for (const batch of replay) if (waiting === ids) apply(ids, batch);
              emit();
            }, fail);
          };
          const subscription = written$.subscribe({
            next: (batch) => {
              if (waiting === null) held.push(batch);
              else {
                apply(waiting, batch);
                emit();
              }
            },
            error: fail,
          });
          waiting = new Set();
          countInFull();
          return () => {
            subscription.unsubscribe();
          };
        }),
    ),
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
