import type { Transaction } from 'kysely';
import { Sale } from '../../shared/schemas/sale.ts';
import { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { Database, Db, DbOrTrx } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { parsePushedFact } from '../sync/push-facts.ts';
import { cardRefundKey } from './card-refund.ts';
import { enqueueCardRefund } from './card-refund-job.ts';
import { codesOfLines, refundRefusal } from './refund-rules.ts';
import { usedCodeFlag, voidRefundedCodes } from './void-refunded-codes.ts';
import { inTransaction } from '../db/transaction.ts';

export type RefundCheck = { ok: true; refund: SaleRefund } | { ok: false; reason: string };
export type RefundOutcome =
  /** Stored; applied at once when its sale is here, else when the sale arrives. */
  | { kind: 'written'; voided: readonly string[]; flag: string | null }
  | { kind: 'duplicate' }
  | { kind: 'rejected'; reason: string };

type Deps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

/** What can be checked without the database: the shape (the request's scope is checked first). */
export function checkRefund(document: unknown): RefundCheck {
  const parsed = parsePushedFact(document, SaleRefund, {
    noun: 'refund',
    deleted: 'Refunds cannot be deleted; a refund is a fact of the counter.',
  });
  return parsed.ok ? { ok: true, refund: parsed.value } : parsed;
}

/**
 * Stores a checked refund and applies it in ONE transaction. Refunds are immutable facts with one
 * writer (DESIGN invariants 2 and 3): the same refund again is a harmless retry; a different copy
 * under the same id is refused. Against a stored sale it must pass refundRefusal; a refund that
 * arrives before its sale is stored unapplied and applyEarlierRefunds judges it on arrival.
 */
export function storeRefund(db: Db, refund: SaleRefund, deps: Deps): Promise<RefundOutcome> {
  const body = canonicalJson(refund);
  return inTransaction(db, async (trx): Promise<RefundOutcome> => {
    const same = await sameRefund(trx, refund, body);
    if (same) return same;
    const stored = await trx
      .selectFrom('sales')
      .select(['store_id', 'terminal_id', 'body'])
      .where('id', '=', refund.saleId)
      .executeTakeFirst();
    if (
      stored &&
      (stored.terminal_id !== refund.terminalId || stored.store_id !== refund.storeId)
    ) {
      return {
        kind: 'rejected',
        reason: `Receipt ${refund.receiptNumber} was sold on another terminal; only the terminal that made a sale can refund it.`,
      };
    }
    const unknownCard = await unknownCardRefund(trx, refund);
    if (unknownCard) return { kind: 'rejected', reason: unknownCard };
    let sale: Sale | null = null;
    if (stored) {
      sale = Sale.parse(JSON.parse(stored.body));
      const refusal = await refusalOf(trx, refund, sale);
      if (refusal) return { kind: 'rejected', reason: refusal };
    }
    const inserted = await trx
      .insertInto('sale_refunds')
      .values({
        id: refund.id,
        store_id: refund.storeId,
        terminal_id: refund.terminalId,
        sale_id: refund.saleId,
        receipt_number: refund.receiptNumber,
        amount: refund.amount,
        reason: refund.reason,
        taken_offline: refund.takenOffline ? 1 : 0,
        flag: null,
        applied_at: null,
        body,
        created_at: refund.createdAt,
        received_at: isoNow(deps.clock),
        seq: await nextSeq(trx),
      })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows !== 1n) {
      return (
        (await sameRefund(trx, refund, body)) ?? {
          kind: 'rejected',
          reason: 'The refund could not be stored; push it again.',
        }
      );
    }
    if (!sale) return { kind: 'written', voided: [], flag: null };
    const applied = await applyRefund(trx, refund, sale, deps);
    return { kind: 'written', ...applied };
  });
}

/**
 * Call in storeSale's transaction once the sale's codes are in (next to applyEarlierVoid): the
 * refunds that arrived first are judged against the sale in the order the server received them.
 * One that no longer stands is kept, unapplied, with a flag saying why, for the manager.
 */
export async function applyEarlierRefunds(
  trx: Transaction<Database>,
  sale: Sale,
  deps: Deps,
): Promise<void> {
  const waiting = await trx
    .selectFrom('sale_refunds')
    .select(['id', 'body', 'store_id', 'terminal_id'])
    .where('sale_id', '=', sale.id)
    .where('applied_at', 'is', null)
    .orderBy('seq')
    .execute();
  for (const row of waiting) {
    const refund = SaleRefund.parse(JSON.parse(row.body));
    const refusal =
      row.store_id !== sale.storeId || row.terminal_id !== sale.terminalId
        ? 'It came from another terminal than the one that made the sale.'
        : await refusalOf(trx, refund, sale);
    if (refusal) {
      await trx
        .updateTable('sale_refunds')
        .set({ flag: `Not applied: ${refusal}` })
        .where('id', '=', row.id)
        .execute();
      continue;
    }
    await applyRefund(trx, refund, sale, deps);
  }
}

/**
 * A card tender that says it was refunded online must name the refund this server made for it
 * (card_refunds, under the same refund id and PaymentIntent): the counter cannot claim card money
 * went back that never did.
 */
async function unknownCardRefund(trx: DbOrTrx, refund: SaleRefund): Promise<string | null> {
  for (const tender of refund.tenders) {
    if (tender.method !== 'card' || tender.stripeRefundId === undefined) continue;
    const made = await trx
      .selectFrom('card_refunds')
      .select(['stripe_refund_id', 'amount'])
      .where('idempotency_key', '=', cardRefundKey(refund.id, tender.paymentIntentId))
      .executeTakeFirst();
    if (made?.stripe_refund_id !== tender.stripeRefundId || made.amount !== tender.amount) {
      return `The card refund ${tender.stripeRefundId} on receipt ${refund.receiptNumber} is not one this server made for this refund. Nothing was refunded; tell a manager.`;
    }
  }
  return null;
}

/** Judged against the refunds of the sale already applied. */
async function refusalOf(trx: DbOrTrx, refund: SaleRefund, sale: Sale): Promise<string | null> {
  const voided = await trx
    .selectFrom('sale_voids')
    .select('id')
    .where('sale_id', '=', sale.id)
    .executeTakeFirst();
  if (voided) {
    return `Receipt ${sale.receiptNumber} was voided; there is nothing left to refund.`;
  }
  const earlier = await trx
    .selectFrom('sale_refunds')
    .select('body')
    .where('sale_id', '=', sale.id)
    .where('applied_at', 'is not', null)
    .where('id', '!=', refund.id)
    .execute();
  return refundRefusal(
    refund,
    sale,
    earlier.map((row) => SaleRefund.parse(JSON.parse(row.body))),
  );
}

/** Voids the lines' codes, flags a used one, owes the card refunds not made yet. */
async function applyRefund(
  trx: Transaction<Database>,
  refund: SaleRefund,
  sale: Sale,
  deps: Deps,
): Promise<{ voided: string[]; flag: string | null }> {
  const { voided, used } = await voidRefundedCodes(
    trx,
    {
      codes: codesOfLines(sale, refund.lineIds),
      terminalId: refund.terminalId,
      why: refund.reason,
    },
    deps,
  );
  for (const tender of refund.tenders) {
    if (tender.method !== 'card' || tender.stripeRefundId !== undefined) continue;
    await enqueueCardRefund(
      trx,
      {
        refundId: refund.id,
        paymentIntentId: tender.paymentIntentId,
        amount: tender.amount,
        storeId: refund.storeId,
      },
      deps,
    );
  }
  const flag = used.length > 0 ? usedCodeFlag(used, refund.takenOffline) : null;
  await trx
    .updateTable('sale_refunds')
    .set({ applied_at: isoNow(deps.clock), flag })
    .where('id', '=', refund.id)
    .execute();
  return { voided, flag };
}

async function sameRefund(
  trx: DbOrTrx,
  refund: SaleRefund,
  body: string,
): Promise<RefundOutcome | null> {
  const same = await trx
    .selectFrom('sale_refunds')
    .select('body')
    .where('id', '=', refund.id)
    .executeTakeFirst();
  if (!same) return null;
  return same.body === body
    ? { kind: 'duplicate' }
    : {
        kind: 'rejected',
        reason: `A different copy of this refund of receipt ${refund.receiptNumber} is already on the server; the first copy stands. Tell a manager.`,
      };
}
