/**
 * Merges a stream's change notices so a busy store does not flood its terminals: the first notice
 * after a quiet spell goes out at once, and notices arriving within `windowMs` of the last one
 * sent are merged into one, sent when the window ends. A terminal only needs "pull these
 * collections now", and its pull catches every change by seq, so merging loses nothing.
 *
 * With 100 terminals each pushing a sale a second, every push used to reach every stream: 10,000
 * events a second written to sockets (docs/PERFORMANCE.md, item 6).
 */
export type ChangeBatcher<T extends string> = {
  add(collections: Iterable<T>): void;
  /** Drops anything waiting; call when the stream ends. */
  stop(): void;
};

export function changeBatcher<T extends string>(
  windowMs: number,
  send: (collections: readonly T[]) => void,
  now: () => number = () => performance.now(),
): ChangeBatcher<T> {
  const waiting = new Set<T>();
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = (): void => {
    timer = null;
    if (waiting.size === 0) return;
    const collections = [...waiting].sort();
    waiting.clear();
    lastSentAt = now();
    send(collections);
  };

  return {
    add(collections) {
      for (const collection of collections) waiting.add(collection);
      if (timer !== null) return;
      const wait = lastSentAt + windowMs - now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting.clear();
    },
  };
}
