import { Observable } from 'rxjs';

/**
 * Recounts after each value of `trigger$`, one recount at a time. Emits null at once on every
 * value (what was counted before is out of date now), then the result of a recount that started
 * after the last value. Values that arrive while a recount runs are not each recounted: one more
 * recount follows, `restMs` after the running one ends, for the latest value only. So a burst of
 * writes (acknowledgements arrive by the hundred during a push) costs a few recounts, not one each,
 * and a count is never shown as current when a write came after it started.
 */
export function coalescedRecount<T, R>(
  trigger$: Observable<T>,
  recount: (value: T) => Promise<R>,
  restMs: number,
): Observable<R | null> {
  return new Observable<R | null>((subscriber) => {
    let busy = false;
    let wanted: { readonly value: T } | null = null;
    let rest: ReturnType<typeof setTimeout> | undefined;

    const start = (): void => {
      rest = undefined;
      if (wanted === null || subscriber.closed) {
        busy = false;
        return;
      }
      const { value } = wanted;
      wanted = null;
      busy = true;
      recount(value).then(
        (result) => {
          if (subscriber.closed) return;
          if (wanted === null) {
            busy = false;
            subscriber.next(result);
          } else {
            rest = setTimeout(start, restMs);
          }
        },
        (error: unknown) => {
          subscriber.error(error);
        },
      );
    };

    const subscription = trigger$.subscribe({
      next: (value) => {
        wanted = { value };
        subscriber.next(null);
        if (!busy) start();
      },
      error: (error: unknown) => {
        subscriber.error(error);
      },
    });
    return () => {
      subscription.unsubscribe();
      if (rest !== undefined) clearTimeout(rest);
    };
  });
}
