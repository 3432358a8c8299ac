import type { Transaction } from 'kysely';
import { Sale } from '../../shared/schemas/sale.ts';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { voidRefusal } from '../../shared/sale/void-rule.ts';
import type { Database, Db, DbOrTrx } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { parsePushedFact } from '../sync/push-facts.ts';
import { voidSaleCodes } from './void-sale-codes.ts';
import { inTransaction } from '../db/transaction.ts';

export type VoidCheck = { ok: true; saleVoid: SaleVoid } | { ok: false; reason: string };
export type VoidOutcome =
  /** Stored; `voided` codes changed (none when the sale has not arrived yet). */
  | { kind: 'written'; voided: readonly string[] }
  | { kind: 'duplicate' }
  /** Another void of the same sale came first: that one stands, this one changes nothing. */
  | { kind: 'already-voided'; firstVoidId: string }
  | { kind: 'rejected'; reason: string };

type Deps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

/** What can be checked without the database: the shape (the request's scope is checked first). */
export function checkVoid(document: unknown): VoidCheck {
  const parsed = parsePushedFact(document, SaleVoid, {
    noun: 'void',
    deleted: 'Voids cannot be deleted; a voided sale stays voided.',
  });
  return parsed.ok ? { ok: true, saleVoid: parsed.value } : parsed;
}

/**
 * Stores a checked void and voids its sale's codes in ONE transaction. Voids are immutable facts
 * with one writer (DESIGN invariants 2 and 3): the same void again is a harmless retry; a
 * different copy under the same id is refused; a second void of a voided sale is accepted and
 * changes nothing. A void may arrive before its sale: it is stored, and storeSale applies it
 * when the sale arrives (applyEarlierVoid).
 */
export function storeVoid(db: Db, saleVoid: SaleVoid, deps: Deps): Promise<VoidOutcome> {
  const body = canonicalJson(saleVoid);
  return inTransaction(db, async (trx): Promise<VoidOutcome> => {
    const same = await sameVoid(trx, saleVoid, body);
    if (same) return same;
    const sale = await trx
      .selectFrom('sales')
      .select(['store_id', 'terminal_id', 'receipt_number'])
      .where('id', '=', saleVoid.saleId)
      .executeTakeFirst();
    if (sale && (sale.terminal_id !== saleVoid.terminalId || sale.store_id !== saleVoid.storeId)) {
      return {
        kind: 'rejected',
        reason: `Receipt ${saleVoid.receiptNumber} was sold on another terminal; only the terminal that made a sale can void it.`,
      };
    }
    if (sale && sale.receipt_number !== saleVoid.receiptNumber) {
      return {
        kind: 'rejected',
        reason: `This void names receipt ${saleVoid.receiptNumber}, but the sale it voids is receipt ${sale.receipt_number}. Nothing was voided; tell a manager.`,
      };
    }
    const first = await firstVoidOf(trx, saleVoid.saleId);
    if (first) return first;
    const refusal = sale ? await voidRefusalOf(trx, saleVoid.saleId) : null;
    if (refusal) return { kind: 'rejected', reason: refusal };
    const inserted = await trx
      .insertInto('sale_voids')
      .values({
        id: saleVoid.id,
        store_id: saleVoid.storeId,
        terminal_id: saleVoid.terminalId,
        sale_id: saleVoid.saleId,
        receipt_number: saleVoid.receiptNumber,
        reason: saleVoid.reason,
        body,
        created_at: saleVoid.createdAt,
        received_at: isoNow(deps.clock),
        seq: await nextSeq(trx),
      })
      // A void of the same sale (or the same void) committed first: on PostgreSQL a concurrent
      // one may only become visible here. Either way this one changes nothing.
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows !== 1n) {
      return (
        (await sameVoid(trx, saleVoid, body)) ??
        (await firstVoidOf(trx, saleVoid.saleId)) ?? {
          kind: 'rejected',
          reason: 'The void could not be stored; push it again.',
        }
      );
    }
    const voided = sale
      ? await voidSaleCodes(
          trx,
          { saleId: saleVoid.saleId, terminalId: saleVoid.terminalId, reason: saleVoid.reason },
          deps,
        )
      : [];
    return { kind: 'written', voided };
  });
}

/** The shared rule (shared/sale/void-rule.ts) against the stored sale and its refunds. */
async function voidRefusalOf(trx: DbOrTrx, saleId: string): Promise<string | null> {
  const stored = await trx
    .selectFrom('sales')
    .select('body')
    .where('id', '=', saleId)
    .executeTakeFirstOrThrow();
  const refunds = await trx
    .selectFrom('sale_refunds')
    .select('id')
    .where('sale_id', '=', saleId)
    .limit(1)
    .execute();
  return voidRefusal(Sale.parse(JSON.parse(stored.body)), refunds.length > 0);
}

/** The answer for a void whose id is stored already: a retry, or a different copy; else null. */
async function sameVoid(
  trx: DbOrTrx,
  saleVoid: SaleVoid,
  body: string,
): Promise<VoidOutcome | null> {
  const same = await trx
    .selectFrom('sale_voids')
    .select('body')
    .where('id', '=', saleVoid.id)
    .executeTakeFirst();
  if (!same) return null;
  return same.body === body
    ? { kind: 'duplicate' }
    : {
        kind: 'rejected',
        reason: `A different copy of the void of receipt ${saleVoid.receiptNumber} is already on the server; the first copy stands. Tell a manager.`,
      };
}

/** The answer for a void of a sale that another void voided first; else null. */
async function firstVoidOf(trx: DbOrTrx, saleId: string): Promise<VoidOutcome | null> {
  const first = await trx
    .selectFrom('sale_voids')
    .select('id')
    .where('sale_id', '=', saleId)
    .executeTakeFirst();
  return first ? { kind: 'already-voided', firstVoidId: first.id } : null;
}

/**
 * Call in storeSale's transaction once the sale's codes are in: a void that arrived first voids
 * them at once, before any provisional claim is activated. A stored void of another terminal
 * does not apply (only the selling terminal voids a sale). Returns true when the sale is voided.
 */
export async function applyEarlierVoid(
  trx: Transaction<Database>,
  sale: { readonly id: string; readonly terminalId: string; readonly storeId: string },
  deps: Deps,
): Promise<boolean> {
  const early = await trx
    .selectFrom('sale_voids')
    .select(['reason', 'terminal_id', 'store_id'])
    .where('sale_id', '=', sale.id)
    .executeTakeFirst();
  if (!early || early.terminal_id !== sale.terminalId || early.store_id !== sale.storeId) {
    return false;
  }
  await voidSaleCodes(
    trx,
    { saleId: sale.id, terminalId: sale.terminalId, reason: early.reason },
    deps,
  );
  return true;
}
