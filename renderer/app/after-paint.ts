import { Observable } from 'rxjs';

/** Longest wait for a frame: a hidden window paints none, and its work must still be done. */
const AT_MOST_MS = 100;

/**
 * Runs `then` once, in a task after the page has painted its next frame (a task queued from the
 * frame's animation callback runs once that frame is drawn), or after `AT_MOST_MS` if no frame
 * comes. Returns a cancel: `then` never runs once it is called.
 */
export function runAfterNextPaint(then: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    then();
  };
  let afterFrame: ReturnType<typeof setTimeout> | undefined;
  const frame =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => {
          afterFrame = setTimeout(once, 0);
        })
      : undefined;
  const fallback = setTimeout(once, AT_MOST_MS);
  return () => {
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(afterFrame);
    clearTimeout(fallback);
  };
}

/**
 * Subscribes to `source` only after the page has painted its next frame (runAfterNextPaint).
 * Work a screen can do once it shows (its live queries) then waits for it to show.
 */
export function afterNextPaint<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let inner: { unsubscribe(): void } | null = null;
    const cancel = runAfterNextPaint(() => {
      if (!subscriber.closed) inner = source.subscribe(subscriber);
    });
    return () => {
      cancel();
      inner?.unsubscribe();
    };
  });
}
