import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable (an RxDB query's `$`, the sync status). Memoise the observable. */
export function useObservable<T>(observable: Observable<T>, initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = observable.subscribe(setValue);
    return () => {
      subscription.unsubscribe();
    };
  }, [observable]);
  return value;
}
