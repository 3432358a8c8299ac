import { useEffect, useRef } from 'react';
import { idleLock } from '../../shared/staff/idle-lock.ts';

/** What counts as someone at the counter: a touch, a click or a key. */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel'] as const;

/**
 * Calls `onLock` after `idleLimitMs` without activity while `active`. One timer at a time, set
 * from the shared rule's `checkAgainAt`: activity only moves the mark, and the timer, when it
 * fires, asks the rule again — no timer churn per key press. `performance.now()` is monotonic,
 * so changing the wall clock at the counter neither locks nor unlocks.
 */
export function useIdleLock(active: boolean, idleLimitMs: number, onLock: () => void): void {
  const lock = useRef(onLock);
  useEffect(() => {
    lock.current = onLock;
  }, [onLock]);

  useEffect(() => {
    if (!active) return undefined;
    let lastActivityAt = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const decision = idleLock({ lastActivityAt, idleLimitMs, now: performance.now() });
      if (decision.lockNow || decision.checkAgainAt === null) {
        lock.current();
        return;
      }
      timer = setTimeout(check, Math.max(0, decision.checkAgainAt - performance.now()));
    };
    const touched = () => {
      lastActivityAt = performance.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touched, { capture: true });
    check();
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) {
        window.removeEventListener(name, touched, { capture: true });
      }
    };
  }, [active, idleLimitMs]);
}
