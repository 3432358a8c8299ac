import { sql } from 'kysely';
import type { DbOrTrx } from '../db/schema.ts';
import { WRITER_LOCK_KEY } from '../db/transaction.ts';
import { newTimeOrderedId } from '../deps.ts';
import type { RedeemDeps, Redeemed, Redemption } from './redeem-queue.ts';

/**
 * PostgreSQL: a group of redemptions written by one statement, on its own (autocommit), so the
 * whole group is one round trip to the server and its commit. The transaction it replaces took
 * seven (BEGIN, the writer lock, the guarded UPDATE, the seq reservation, the seq UPDATE, the
 * events' INSERT, COMMIT); under load every one of them waited for a turn of a busy event loop,
 * and the groups queue behind one another (redeem-queue.ts).
 *
 * The statement does what redeemTogether does, in this order, each step fed by the one before:
 * 1. `writer`: the writer lock every writing transaction takes first (db/transaction.ts), so this
 *    one cannot deadlock with them. `winners` reads it in an uncorrelated EXISTS, which PostgreSQL
 *    evaluates once, before the first row of the scan (an InitPlan gating the scan).
 * 2. `winners`: the codes still known, row-locked (FOR UPDATE). The statement's snapshot may be
 *    older than the lock, but a row changed since is re-read at its newest version and its state
 *    tested again (READ COMMITTED's re-check), so of two groups redeeming one code only the first
 *    to lock it wins, as with the guarded UPDATE.
 * 3. `reserved`: the change sequence bumped by the number of winners (db/seq.ts), nothing taken
 *    when there are none, so the sequence stays gap-free in commit order.
 * 4. `consumed`: the winners' rows consumed, each with its new seq, in the order they came
 *    (`ranked`: PostgreSQL refuses a window function beside FOR UPDATE).
 * 5. `recorded`: one event per winner (entitlements/events.ts).
 * The ids, actors and reasons travel as arrays, one entry per distinct code (its first request).
 */
export async function redeemInOneStatement(
  db: DbOrTrx,
  batch: readonly Redemption[],
  deps: RedeemDeps,
): Promise<(Redeemed | null)[]> {
  const now = deps.clock().toISOString();
  const first = new Map<string, Redemption>();
  for (const item of batch) if (!first.has(item.code)) first.set(item.code, item);
  const asked = [...first.values()];
  const { rows } = await sql<{ code: string; store_id: string; terminal_id: string }>`
    with writer as (select 1 from pg_advisory_xact_lock(${WRITER_LOCK_KEY})),
    asked as (
      select * from unnest(
        ${asked.map((item) => item.code)}::text[],
        ${asked.map(() => newTimeOrderedId('evt', now, deps.randomBytes))}::text[],
        ${asked.map((item) => item.actor)}::text[],
        ${asked.map((item) => item.reason)}::text[]
      ) with ordinality as a(code, event_id, actor, reason, position)
    ),
    winners as (
      select e.code, e.store_id, asked.event_id, asked.actor, asked.reason, asked.position
      from entitlements e join asked on asked.code = e.code
      where e.state = 'known' and exists (select 1 from writer)
      for update of e
    ),
    reserved as (
      update counters set value = value + (select count(*) from winners)
      where name = 'change_seq' and exists (select 1 from winners)
      returning value - (select count(*) from winners) as before
    ),
    ranked as (
      select code, row_number() over (order by position) as rank from winners
    ),
    consumed as (
      update entitlements e
      set state = 'consumed', consumed_at = ${now}, updated_at = ${now},
        seq = reserved.before + ranked.rank
      from ranked, reserved
      where e.code = ranked.code
      returning e.code, e.store_id, e.terminal_id
    ),
    recorded as (
      insert into entitlement_events (id, code, from_state, to_state, actor, reason, at)
      select event_id, code, 'known', 'consumed', actor, reason, ${now} from winners
    )
    select code, store_id, terminal_id from consumed
  `.execute(db);
  const ownerOf = new Map(rows.map((row) => [row.code, row]));
  return batch.map((item) => {
    if (first.get(item.code) !== item) return null;
    const owner = ownerOf.get(item.code);
    return owner === undefined
      ? null
      : { storeId: owner.store_id, terminalId: owner.terminal_id, consumedAt: now };
  });
}
