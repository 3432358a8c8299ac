import type { DbOrTrx, PaymentIntentsTable } from '../db/schema.ts';
import type { GatewayIntent } from './gateway.ts';

export type IntentRow = {
  readonly id: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly saleId: string;
  readonly amount: number;
  readonly amountCaptured: number;
  readonly amountRefunded: number;
  readonly currency: string;
  readonly status: string;
};

function rowOf(
  row: Omit<PaymentIntentsTable, 'amount_captured' | 'amount_refunded'> & {
    amount_captured: number;
    amount_refunded: number;
  },
): IntentRow {
  return {
    id: row.id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    saleId: row.sale_id,
    amount: row.amount,
    amountCaptured: row.amount_captured,
    amountRefunded: row.amount_refunded,
    currency: row.currency,
    status: row.status,
  };
}

export async function findIntentRow(db: DbOrTrx, id: string): Promise<IntentRow | undefined> {
  const row = await db
    .selectFrom('payment_intents')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowOf(row) : undefined;
}

/** Records an intent the server created; a replayed create (same id) leaves the row as it is. */
export async function recordIntent(
  db: DbOrTrx,
  intent: GatewayIntent,
  owner: { readonly storeId: string; readonly terminalId: string; readonly saleId: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('payment_intents')
    .values({
      id: intent.id,
      store_id: owner.storeId,
      terminal_id: owner.terminalId,
      sale_id: owner.saleId,
      amount: intent.amount,
      amount_captured: intent.amountReceived,
      currency: intent.currency.toUpperCase(),
      status: intent.status,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
}

/** Stripe's view of the intent as last seen, and what was refunded through this server. */
export async function updateIntentRow(
  db: DbOrTrx,
  intent: GatewayIntent,
  now: string,
  refunded?: number,
): Promise<void> {
  await db
    .updateTable('payment_intents')
    .set({
      status: intent.status,
      amount_captured: intent.amountReceived,
      ...(refunded === undefined ? {} : { amount_refunded: refunded }),
      updated_at: now,
    })
    .where('id', '=', intent.id)
    .execute();
}
