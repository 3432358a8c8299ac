import type { Db } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { expireDueEntitlements } from './expiry.ts';
import { expireProvisionalClaims } from './provisional-claims.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

export const PROVISIONAL_SWEEP_MS = 60_000;

export type ProvisionalSweep = {
  /** Ends the timer and waits for a sweep in progress. Safe to call twice. */
  stop(): Promise<void>;
};

/** One sweep: provisional claims past their deadline, then codes past their validity. */
export async function sweepOnce(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly masterKey: Uint8Array;
  readonly onChange?: (owners: readonly StatusOwner[]) => void;
}): Promise<void> {
  await expireProvisionalClaims(deps.db, deps.clock, deps.randomBytes, deps.masterKey);
  const { owners } = await expireDueEntitlements(deps.db, deps.clock, deps.randomBytes);
  if (owners.length > 0) deps.onChange?.(owners);
}

/**
 * Runs sweepOnce every `intervalMs` (startServer; buildServer starts no timers): provisional
 * claims past their deadline are cancelled, codes past expires_at become expired.
 * Several instances may sweep at once: each change is a guarded UPDATE, so a claim is
 * cancelled, and e-mailed about, once, and a code expires once.
 */
export function startProvisionalSweep(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly masterKey: Uint8Array;
  readonly logger: { error(details: Record<string, unknown>, message: string): void };
  readonly intervalMs?: number;
  /** Told which terminals' codes expired (one entry each), to notify them. */
  readonly onChange?: (owners: readonly StatusOwner[]) => void;
}): ProvisionalSweep {
  const intervalMs = deps.intervalMs ?? PROVISIONAL_SWEEP_MS;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepOnce(deps)
        .catch((error: unknown) => {
          deps.logger.error({ err: error }, 'sweep of provisional claims and expired codes failed');
        })
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
