import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { insertRows } from '../db/insert-rows.ts';
import { newTimeOrderedId, type RandomBytes } from '../deps.ts';

/**
 * Who changed a code: a signed-in customer, a terminal, a manager on the dashboard (`staff:<id>`),
 * the server itself, or nobody known.
 */
export type Actor =
  `customer:${string}` | `terminal:${string}` | `staff:${string}` | 'system' | 'anonymous';

export type EntitlementEvent = {
  readonly code: string;
  readonly from: EntitlementState;
  readonly to: EntitlementState;
  readonly actor: Actor;
  readonly reason: string;
  /** ISO timestamp, the same as the row's updated_at. */
  readonly at: string;
};

/**
 * Records state changes in the transaction that makes them, so the history and the state
 * never disagree: a rolled-back change leaves no event.
 */
export async function recordEvents(
  trx: DbOrTrx,
  events: readonly EntitlementEvent[],
  randomBytes: RandomBytes,
): Promise<void> {
  await insertRows(
    trx,
    'entitlement_events',
    events.map((event) => ({
      id: newTimeOrderedId('evt', event.at, randomBytes),
      code: event.code,
      from_state: event.from,
      to_state: event.to,
      actor: event.actor,
      reason: event.reason,
      at: event.at,
    })),
  );
}

/**
 * Records a change of who has a code that leaves its state as it is (given to someone by the
 * buyer, transferred by the holder): the history shows it as a step from the state to itself.
 */
export function recordHandover(
  trx: DbOrTrx,
  handover: {
    readonly code: string;
    readonly state: EntitlementState;
    readonly actor: Actor;
    readonly reason: string;
    readonly at: string;
  },
  randomBytes: RandomBytes,
): Promise<void> {
  const { state, ...rest } = handover;
  return recordEvents(trx, [{ ...rest, from: state, to: state }], randomBytes);
}
