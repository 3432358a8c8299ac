import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeBatcher } from './change-batcher.ts';

describe('changeBatcher', () => {
  let sent: string[][];
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const batcher = () =>
    changeBatcher(
      100,
      (collections) => sent.push([...collections]),
      () => Date.now(),
    );

  it('sends the first notice after a quiet spell at once', () => {
    batcher().add(['entitlements']);
    expect(sent).toEqual([['entitlements']]);
  });

  it('merges notices within the window into one, sent when the window ends', () => {
    const changes = batcher();
    changes.add(['entitlements']);
    changes.add(['products']);
    changes.add(['entitlements']);
    changes.add(['staff']);
    expect(sent).toEqual([['entitlements']]);
    vi.advanceTimersByTime(99);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([['entitlements'], ['entitlements', 'products', 'staff']]);
  });

  it('sends at once again after a quiet window', () => {
    const changes = batcher();
    changes.add(['products']);
    vi.advanceTimersByTime(150);
    changes.add(['settings']);
    expect(sent).toEqual([['products'], ['settings']]);
  });

  it('never sends after stop', () => {
    const changes = batcher();
    changes.add(['products']);
    changes.add(['entitlements']);
    changes.stop();
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([['products']]);
  });
});
