import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { coalescedRecount } from './coalesced-recount.ts';

/** A recount whose answers the test gives by hand, in order. */
function manualRecount() {
  const calls: { value: number; answer: (result: number) => void }[] = [];
  const recount = (value: number) =>
    new Promise<number>((resolve) => {
      calls.push({ value, answer: resolve });
    });
  return { calls, recount };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('coalescedRecount', () => {
  it('emits null at once, then the count taken after the write', async () => {
    const trigger = new Subject<number>();
    const { calls, recount } = manualRecount();
    const seen: (number | null)[] = [];
    const subscription = coalescedRecount(trigger, recount, 0).subscribe((v) => seen.push(v));
    trigger.next(1);
    expect(seen).toEqual([null]);
    calls[0]?.answer(7);
    await settle();
    expect(seen).toEqual([null, 7]);
    subscription.unsubscribe();
  });

  it('runs one recount at a time and one more for a burst, never showing the stale count', async () => {
    vi.useFakeTimers();
    try {
      const trigger = new Subject<number>();
      const { calls, recount } = manualRecount();
      const seen: (number | null)[] = [];
      const subscription = coalescedRecount(trigger, recount, 200).subscribe((v) => seen.push(v));
      trigger.next(1);
      for (let value = 2; value <= 50; value += 1) trigger.next(value);
      expect(calls).toHaveLength(1);
      calls[0]?.answer(1);
      await vi.advanceTimersByTimeAsync(0);
      // The count of the first write is out of date: it is not shown.
      expect(seen.filter((v) => v !== null)).toEqual([]);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(200);
      expect(calls.map((call) => call.value)).toEqual([1, 50]);
      calls[1]?.answer(50);
      await vi.advanceTimersByTimeAsync(0);
      expect(seen.at(-1)).toBe(50);
      subscription.unsubscribe();
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts at once again after a quiet spell', async () => {
    const trigger = new Subject<number>();
    const { calls, recount } = manualRecount();
    const subscription = coalescedRecount(trigger, recount, 10_000).subscribe();
    trigger.next(1);
    calls[0]?.answer(1);
    await settle();
    trigger.next(2);
    expect(calls.map((call) => call.value)).toEqual([1, 2]);
    subscription.unsubscribe();
  });

  it('passes a failed recount on as an error', async () => {
    const trigger = new Subject<number>();
    const errors: unknown[] = [];
    const subscription = coalescedRecount(
      trigger,
      () => Promise.reject(new Error('storage closed')),
      0,
    ).subscribe({ error: (error: unknown) => errors.push(error) });
    trigger.next(1);
    await settle();
    expect(String(errors[0])).toContain('storage closed');
    subscription.unsubscribe();
  });
});
