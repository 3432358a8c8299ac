import {
  ENTITLEMENT_STATE_LABELS,
  EntitlementState,
  canTransition,
} from '../schemas/entitlement.ts';
import type { EntitlementSnapshot } from './entitlement-events.ts';

/**
 * `path` lists the states entered, in order; it is empty when the state is unchanged (a spend,
 * onboarding values kept for a provisional claim). One event may pass through several states
 * (a provisional claim whose sale arrives goes issued → known → claimed), but every step is
 * one that `canTransition` allows.
 */
export type ApplyResult =
  | {
      readonly ok: true;
      readonly next: EntitlementSnapshot;
      readonly path: readonly EntitlementState[];
    }
  | { readonly ok: false; readonly reason: string };

export function refuse(reason: string): ApplyResult {
  return { ok: false, reason };
}

/** A state nothing can leave: consumed, expired, voided. Derived from the graph, not listed. */
export function isTerminal(state: EntitlementState): boolean {
  return EntitlementState.options.every((to) => !canTransition(state, to));
}

export function labelOf(state: EntitlementState): string {
  return ENTITLEMENT_STATE_LABELS[state].toLowerCase();
}

/** Walks `path` through the state graph, refusing any step it does not allow. */
export function move(
  from: EntitlementSnapshot,
  path: readonly EntitlementState[],
  patch: Partial<EntitlementSnapshot> = {},
): ApplyResult {
  let state = from.state;
  for (const to of path) {
    if (!canTransition(state, to))
      return refuse(`A code that is ${labelOf(state)} cannot become ${labelOf(to)}.`);
    state = to;
  }
  return { ok: true, next: { ...from, ...patch, state }, path };
}

/** True once `at` is at or past the snapshot's expiry. Compared as instants, not strings. */
export function isExpiredAt(snapshot: EntitlementSnapshot, at: string): boolean {
  return snapshot.expiresAt !== null && Date.parse(at) >= Date.parse(snapshot.expiresAt);
}

export function expiredReason(snapshot: EntitlementSnapshot): string {
  return `This code expired at ${snapshot.expiresAt ?? 'its expiry'}.`;
}
