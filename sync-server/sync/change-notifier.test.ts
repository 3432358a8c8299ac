import { describe, expect, it, vi } from 'vitest';
import { createMemoryNotifier } from './change-notifier.ts';

describe('memory change notifier', () => {
  it('does not tell other stores, nor listeners that left; a failing listener does not stop others', () => {
    const errors: unknown[] = [];
    const notifier = createMemoryNotifier((error) => errors.push(error));
    const mine = vi.fn();
    const theirs = vi.fn();
    const leaving = vi.fn();
    notifier.subscribe('store-a', () => {
      throw new Error('broken stream');
    });
    notifier.subscribe('store-a', mine);
    notifier.subscribe('store-b', theirs);
    const unsubscribe = notifier.subscribe('store-a', leaving);
    unsubscribe();

    notifier.publish('store-a', ['entitlements']);

    expect(mine).toHaveBeenCalledWith(['entitlements']);
    expect(theirs).not.toHaveBeenCalled();
    expect(leaving).not.toHaveBeenCalled();
    expect(errors).toHaveLength(1);
  });
});
