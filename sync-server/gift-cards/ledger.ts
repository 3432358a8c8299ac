import { balanceOf, spend, type Ledger } from '../../shared/lifecycle/gift-ledger.ts';
import { formatMoney } from '../../shared/money.ts';
import type { Db, DbOrTrx, GiftCardLedgerTable } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import { inTransaction } from '../db/transaction.ts';

export type GiftCardEntry = {
  readonly kind: GiftCardLedgerTable['kind'];
  readonly amount: number;
  readonly reference: string | null;
  readonly createdAt: string;
};

export type GiftCard = {
  readonly code: string;
  readonly storeId: string;
  readonly state: string;
  readonly currency: string;
  readonly balance: number;
  readonly entries: readonly GiftCardEntry[];
};

/** Codes that are stored but can no longer pay for anything. */
const UNUSABLE_STATES: ReadonlySet<string> = new Set(['voided', 'expired']);

async function entriesOf(db: DbOrTrx, code: string): Promise<GiftCardLedgerTable[]> {
  return db
    .selectFrom('gift_card_ledger')
    .selectAll()
    .where('code', '=', code)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The balance is the sum of the ledger (shared balanceOf), never a stored counter. */
function toCard(
  code: string,
  entitlement: { store_id: string; state: string },
  rows: readonly GiftCardLedgerTable[],
): GiftCard | undefined {
  const issue = rows.find((row) => row.kind === 'issue');
  if (!issue) return undefined;
  const ledger: Ledger = rows.map((row) => ({ kind: row.kind, amount: row.amount }));
  return {
    code,
    storeId: entitlement.store_id,
    state: entitlement.state,
    currency: issue.currency,
    balance: balanceOf(ledger),
    entries: rows.map((row) => ({
      kind: row.kind,
      amount: row.amount,
      reference: row.reference,
      createdAt: row.created_at,
    })),
  };
}

/** A stored code with money on it, or undefined (unknown code, or not a funded gift card). */
export async function findGiftCard(db: DbOrTrx, code: string): Promise<GiftCard | undefined> {
  const entitlement = await db
    .selectFrom('entitlements')
    .select(['store_id', 'state'])
    .where('code', '=', code)
    .executeTakeFirst();
  return entitlement && toCard(code, entitlement, await entriesOf(db, code));
}

/**
 * A gift card's balance as a person reads it ("€12.50"), or null when the code is not a gift card.
 * From the ledger alone, one query (the portal's lookup page asks on every view): a ledger entry
 * always belongs to a stored code, and a code without an 'issue' entry is no funded card.
 */
export async function giftCardBalanceText(db: DbOrTrx, code: string): Promise<string | null> {
  const rows = await entriesOf(db, code);
  const issue = rows.find((row) => row.kind === 'issue');
  if (!issue) return null;
  const ledger: Ledger = rows.map((row) => ({ kind: row.kind, amount: row.amount }));
  return formatMoney(balanceOf(ledger), issue.currency);
}

export type SpendRequest = {
  readonly code: string;
  readonly storeId: string;
  readonly amount: number;
  readonly reference: string | null;
  readonly idempotencyKey: string;
  readonly actor: `terminal:${string}`;
};

export type SpendOutcome =
  | { readonly kind: 'spent'; readonly balance: number; readonly replayed: boolean }
  | { readonly kind: 'insufficient'; readonly message: string }
  | { readonly kind: 'unusable'; readonly state: string }
  | { readonly kind: 'key_reused' }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'wrong_store' };

/**
 * Spends from a card in ONE transaction that first locks the card: a no-op UPDATE of its
 * entitlement row. On PostgreSQL that row lock makes every other spender of the card wait until
 * we commit (READ COMMITTED then shows them our entry when they sum); on SQLite the UPDATE makes
 * this the one write transaction. Only then is the ledger summed and the spend inserted, so two
 * requests can never both spend the same money, and the balance never goes below zero.
 */
export function spendGiftCard(
  db: Db,
  request: SpendRequest,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<SpendOutcome> {
  // Scoped by card: the same key on another card is another spend, never a collision.
  const key = `spend:${request.code}:${request.idempotencyKey}`;
  return inTransaction(db, async (trx): Promise<SpendOutcome> => {
    const locked = await trx
      .updateTable('entitlements')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('code', '=', request.code)
      .returning(['store_id', 'state', 'expires_at'])
      .executeTakeFirst();
    if (!locked) return { kind: 'not_found' };
    if (locked.store_id !== request.storeId) return { kind: 'wrong_store' };
    const rows = await entriesOf(trx, request.code);
    const card = toCard(request.code, locked, rows);
    if (!card) return { kind: 'not_found' };
    const earlier = rows.find((row) => row.idempotency_key === key);
    if (earlier) {
      return earlier.amount === request.amount && earlier.reference === request.reference
        ? { kind: 'spent', balance: earlier.balance_after, replayed: true }
        : { kind: 'key_reused' };
    }
    if (UNUSABLE_STATES.has(card.state)) return { kind: 'unusable', state: card.state };
    // Past its validity but not swept yet: as expired as a swept card.
    if (locked.expires_at !== null && Date.parse(locked.expires_at) <= deps.clock().getTime()) {
      return { kind: 'unusable', state: 'expired' };
    }
    const ledger: Ledger = rows.map((row) => ({ kind: row.kind, amount: row.amount }));
    const after = spend(ledger, request.amount);
    if (!after.ok) {
      const holds = formatMoney(card.balance, card.currency);
      const wanted = formatMoney(request.amount, card.currency);
      return {
        kind: 'insufficient',
        message: `The card holds ${holds}, less than ${wanted}. Spend at most ${holds} from it and take the rest another way.`,
      };
    }
    const balance = balanceOf(after.ledger);
    await trx
      .insertInto('gift_card_ledger')
      .values({
        id: newId('gcl', deps.randomBytes),
        code: request.code,
        kind: 'spend',
        amount: request.amount,
        currency: card.currency,
        reference: request.reference,
        actor: request.actor,
        idempotency_key: key,
        balance_after: balance,
        created_at: isoNow(deps.clock),
      })
      .execute();
    return { kind: 'spent', balance, replayed: false };
  });
}

/**
 * Gift cards among `codes` that have paid for something. Such a card counts as used for a
 * refund: refunding its face value would hand back money already spent with it.
 */
export async function spentGiftCards(
  db: DbOrTrx,
  codes: readonly string[],
): Promise<ReadonlySet<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('gift_card_ledger')
    .select('code')
    .distinct()
    .where('code', 'in', [...codes])
    .where('kind', '=', 'spend')
    .execute();
  return new Set(rows.map((row) => row.code));
}
