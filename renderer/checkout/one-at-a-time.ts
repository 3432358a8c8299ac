import { useState } from 'react';

/**
 * How long an action may run before its screen shows it busy (buttons disabled). A sale's write
 * takes 10–30 ms: disabling the buttons at once re-rendered and repainted the payment screen
 * while IndexedDB was writing the sale, and the frame delayed the write's callbacks. A cashier
 * sees no difference under a tenth of a second (docs/PERFORMANCE.md, thirteenth round).
 */
export const SHOW_BUSY_AFTER_MS = 150;

type Timers = {
  readonly setTimeout: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
};

const windowTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * Runs one action at a time: a call while another runs is ignored (a double click on "Complete
 * sale" makes one sale), at once and without a render. `onBusy(true)` is called only once the
 * action has run for `showBusyAfterMs`, and `onBusy(false)` when it ends if it was.
 */
export function oneAtATime(
  onBusy: (busy: boolean) => void,
  showBusyAfterMs = SHOW_BUSY_AFTER_MS,
  timers: Timers = windowTimers,
) {
  let running = false;
  return {
    isRunning: () => running,
    async run(action: () => Promise<void>): Promise<void> {
      if (running) return;
      running = true;
      const shown = { busy: false };
      const timer = timers.setTimeout(() => {
        shown.busy = true;
        onBusy(true);
      }, showBusyAfterMs);
      try {
        await action();
      } finally {
        timers.clearTimeout(timer);
        running = false;
        if (shown.busy) onBusy(false);
      }
    },
  };
}

/** `oneAtATime` for a component: `busy` turns true only once an action has run a while. */
export function useOneAtATime() {
  const [busy, setBusy] = useState(false);
  const [guard] = useState(() => oneAtATime(setBusy));
  return { busy, guard };
}
