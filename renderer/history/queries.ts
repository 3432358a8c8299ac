import type { Observable } from 'rxjs';
import { combineLatest, map, of, switchMap } from 'rxjs';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { EntitleDatabase } from '../data/database.ts';
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

/**
 * Sales, voids and refunds the server has not acknowledged yet: what "waiting to sync" counts.
 * Each is acknowledged by its own id in sync_acks (a void's or refund's id is never a sale's:
 * see voidIdOf; refund ids are fresh UUIDs). The terminal's audit events are acknowledged there
 * too, under ids `<terminalId>_<seq>` (renderer/audit/record-audit.ts): given the terminal, those
 * acks are counted by a primary-key range and left out, or every sign-in would hide a sale.
 */
export function pendingCount$(db: EntitleDatabase, terminalId?: string): Observable<number> {
  // Counted per outcome: the sync_acks index is (outcome, id), so each count is an index range.
  const auditAcksWith = (outcome: 'accepted' | 'rejected', id: string) =>
    db.sync_acks.count({ selector: { outcome, id: { $gte: `${id}_`, $lt: `${id}_\uffff` } } }).$;
  const auditAcks$ =
    terminalId === undefined
      ? of(0)
      : combineLatest([
          auditAcksWith('accepted', terminalId),
          auditAcksWith('rejected', terminalId),
        ]).pipe(map(([accepted, rejected]) => accepted + rejected));
  return combineLatest([
    db.sales.count().$,
    db.voids.count().$,
    db.refunds.count().$,
    db.sync_acks.count().$,
    auditAcks$,
  ]).pipe(
    map(([sales, voids, refunds, acknowledged, auditAcknowledged]) =>
      Math.max(0, sales + voids + refunds - (acknowledged - auditAcknowledged)),
    ),
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
