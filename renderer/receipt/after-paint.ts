import { Observable } from 'rxjs';

/** Longest wait for a frame: a hidden window paints none, and its receipt must still go live. */
const AT_MOST_MS = 100;

/**
 * Subscribes to `source` only after the page has painted its next frame (a task queued from the
 * frame's animation callback runs once that frame is drawn), or after `AT_MOST_MS` if no frame
 * comes. Work a screen can do once it shows (its live queries) then waits for it to show.
 */
export function afterNextPaint<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let inner: { unsubscribe(): void } | null = null;
    let started = false;
    const start = () => {
      if (started || subscriber.closed) return;
      started = true;
      inner = source.subscribe(subscriber);
    };
    let afterFrame: ReturnType<typeof setTimeout> | undefined;
    const frame =
      typeof requestAnimationFrame === 'function'
        ? requestAnimationFrame(() => {
            afterFrame = setTimeout(start, 0);
          })
        : undefined;
    const fallback = setTimeout(start, AT_MOST_MS);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(afterFrame);
      clearTimeout(fallback);
      inner?.unsubscribe();
    };
  });
}
