import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { oneAtATime, SHOW_BUSY_AFTER_MS } from './one-at-a-time.ts';

/** A promise the test settles by hand. */
function deferred() {
  let settle: (fails?: boolean) => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    settle = (fails) => {
      if (fails) reject(new Error('the write failed'));
      else resolve();
    };
  });
  return { promise, settle };
}

describe('oneAtATime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a second call made while the first runs not at all', async () => {
    const guard = oneAtATime(() => undefined);
    const first = deferred();
    const action = vi.fn(() => first.promise);
    const running = guard.run(action);
    expect(guard.isRunning()).toBe(true);
    await guard.run(action);
    expect(action).toHaveBeenCalledTimes(1);
    first.settle();
    await running;
    expect(guard.isRunning()).toBe(false);
    await guard.run(() => Promise.resolve());
    expect(guard.isRunning()).toBe(false);
  });

  it('says nothing of a quick action, so the screen is not repainted', async () => {
    const onBusy = vi.fn();
    const guard = oneAtATime(onBusy);
    const write = deferred();
    const running = guard.run(() => write.promise);
    vi.advanceTimersByTime(SHOW_BUSY_AFTER_MS - 1);
    write.settle();
    await running;
    vi.advanceTimersByTime(SHOW_BUSY_AFTER_MS);
    expect(onBusy).not.toHaveBeenCalled();
  });

  it('shows a slow action busy, and not busy once it has ended, even in failure', async () => {
    const onBusy = vi.fn();
    const guard = oneAtATime(onBusy);
    const write = deferred();
    const running = guard.run(() => write.promise);
    vi.advanceTimersByTime(SHOW_BUSY_AFTER_MS);
    expect(onBusy).toHaveBeenCalledWith(true);
    write.settle(true);
    await expect(running).rejects.toThrow('the write failed');
    expect(onBusy).toHaveBeenLastCalledWith(false);
    expect(onBusy).toHaveBeenCalledTimes(2);
    expect(guard.isRunning()).toBe(false);
  });
});
