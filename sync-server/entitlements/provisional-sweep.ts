import type { Db } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { expireProvisionalClaims } from './provisional-claims.ts';

export const PROVISIONAL_SWEEP_MS = 60_000;

export type ProvisionalSweep = {
  /** Ends the timer and waits for a sweep in progress. Safe to call twice. */
  stop(): Promise<void>;
};

/**
 * Runs expireProvisionalClaims every `intervalMs` (startServer; buildServer starts no timers).
 * Several instances may sweep at once: each cancellation is a guarded UPDATE, so a claim is
 * cancelled, and e-mailed about, once.
 */
export function startProvisionalSweep(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly logger: { error(details: Record<string, unknown>, message: string): void };
  readonly intervalMs?: number;
}): ProvisionalSweep {
  const intervalMs = deps.intervalMs ?? PROVISIONAL_SWEEP_MS;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = expireProvisionalClaims(deps.db, deps.clock, deps.randomBytes)
        .then(() => undefined)
        .catch((error: unknown) => {
          deps.logger.error({ err: error }, 'provisional claim sweep failed');
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
