import type { Db, Trx } from '../db/schema.ts';
import { reserveSeq } from '../db/seq.ts';
import { inTransaction } from '../db/transaction.ts';
import { isPostgres } from '../db/connection.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { isoNow } from '../deps.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';
import { recordEvents, type Actor } from './events.ts';
import { redeemInOneStatement } from './redeem-statement.ts';

/** Most redemptions written in one transaction (bounds the statements' parameter lists). */
export const MAX_REDEMPTIONS_PER_COMMIT = 100;

export type Redemption = {
  readonly code: string;
  readonly actor: Actor;
  readonly reason: string;
};

/**
 * A code redeemed now: whom to notify (its store, and the terminal that sold it, the only till
 * that pulls its status) and the time stored as its consumed_at.
 */
export type Redeemed = StatusOwner & { readonly consumedAt: string };

export type RedeemQueue = {
  /**
   * Moves `code` from known to consumed, as transitionEntitlement does (a guarded UPDATE, a new
   * seq, an event), and settles once that is committed: null when the code was not known (already
   * redeemed, voided, unknown), also when the same code came twice in one commit.
   */
  redeem(redemption: Redemption): Promise<Redeemed | null>;
};

export type RedeemDeps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

/** Writes a group of redemptions atomically: the outcome of each, in the order asked. */
export type WriteGroup = (
  on: Db,
  batch: readonly Redemption[],
  deps: RedeemDeps,
) => Promise<(Redeemed | null)[]>;

/** SQLite's group: redeemTogether in one transaction (statements cost no round trip there). */
export const inOneTransaction: WriteGroup = (on, batch, deps) =>
  inTransaction(on, (trx) => redeemTogether(trx, batch, deps));

type Waiting = Redemption & {
  readonly resolve: (outcome: Redeemed | null) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit for redemptions. A redemption is a write, and writes are serial (SQLite's one
 * writer; the advisory lock on PostgreSQL), each ending with a durable commit (an fsync of the
 * WAL on either engine). Under load one transaction at a time waits on one fsync after another;
 * here the redemptions that arrive while a commit is under way are written together by the next
 * transaction, with one guarded UPDATE, one seq reservation, one seq UPDATE and one insert of
 * events, and one commit (on PostgreSQL all of that is one statement: redeem-statement.ts). No
 * redemption is answered before the commit that stores it; a batch that fails is written again
 * one transaction per redemption, so each gets its own answer.
 */
export function createRedeemQueue(
  db: Db,
  deps: RedeemDeps,
  write: WriteGroup = isPostgres(db) ? redeemInOneStatement : inOneTransaction,
): RedeemQueue {
  let waiting: Waiting[] = [];
  let draining = false;

  const settle = async (on: Db, batch: readonly Waiting[]): Promise<void> => {
    try {
      const outcomes = await write(on, batch, deps);
      batch.forEach((item, index) => {
        item.resolve(outcomes[index] ?? null);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const item of batch) await settle(on, [item]);
    }
  };

  const drainOn = async (on: Db): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_REDEMPTIONS_PER_COMMIT);
      waiting = waiting.slice(batch.length);
      await settle(on, batch);
    }
  };

  const drain = async (): Promise<void> => {
    try {
      // On PostgreSQL one pooled connection serves the groups that follow one another, so a
      // group never waits in the pool's queue behind the requests' reads (and counts).
      if (isPostgres(db)) {
        await db.connection().execute(drainOn);
      } else {
        await drainOn(db);
      }
    } catch (error) {
      // No connection to be had: whatever waits is refused, not left hanging.
      const refused = waiting;
      waiting = [];
      for (const item of refused) item.reject(error);
    }
    draining = false;
  };

  return {
    redeem(redemption) {
      return new Promise<Redeemed | null>((resolve, reject) => {
        waiting.push({ ...redemption, resolve, reject });
        if (draining) return;
        draining = true;
        // After the requests read in this turn of the event loop have queued theirs too.
        setImmediate(() => {
          void drain();
        });
      });
    },
  };
}

/**
 * Redeems each code of `batch` in `trx`, in order: the outcome of each, as if written one after
 * another (the second of two redemptions of one code gets null).
 */
export async function redeemTogether(
  trx: Trx,
  batch: readonly Redemption[],
  deps: RedeemDeps,
): Promise<(Redeemed | null)[]> {
  const now = isoNow(deps.clock);
  const codes = [...new Set(batch.map((item) => item.code))];
  // The guard: of any number of simultaneous requests for a code exactly one matches; on
  // PostgreSQL the row lock makes the others re-check and miss (transitionEntitlement).
  const won = await trx
    .updateTable('entitlements')
    .set({ state: 'consumed', consumed_at: now, updated_at: now })
    .where('code', 'in', codes)
    .where('state', '=', 'known')
    .returning(['code', 'store_id', 'terminal_id'])
    .execute();
  const ownerOf = new Map(won.map((row) => [row.code, row]));
  const winners: Redemption[] = [];
  const outcomes = batch.map((item) => {
    const owner = ownerOf.get(item.code);
    if (owner === undefined) return null;
    ownerOf.delete(item.code);
    winners.push(item);
    return { storeId: owner.store_id, terminalId: owner.terminal_id, consumedAt: now };
  });
  if (winners.length === 0) return outcomes;
  // Winners take consecutive seqs in the order they came, so terminals pull the change.
  const first = await reserveSeq(trx, winners.length);
  const [head, ...rest] = winners.map((item, index) => ({ code: item.code, seq: first + index }));
  if (head === undefined) return outcomes;
  await trx
    .updateTable('entitlements')
    .set((eb) => {
      // Typed, or PostgreSQL reads CASE over untyped parameters as text.
      const seq = (value: number) => eb.cast<number>(eb.val(value), 'integer');
      let cases = eb.case().when('code', '=', head.code).then(seq(head.seq));
      for (const item of rest) cases = cases.when('code', '=', item.code).then(seq(item.seq));
      return { seq: cases.else(eb.ref('seq')).end() };
    })
    .where('code', 'in', [head.code, ...rest.map((item) => item.code)])
    .execute();
  await recordEvents(
    trx,
    winners.map((item) => ({
      code: item.code,
      from: 'known' as const,
      to: 'consumed' as const,
      actor: item.actor,
      reason: item.reason,
      at: now,
    })),
    deps.randomBytes,
  );
  return outcomes;
}
