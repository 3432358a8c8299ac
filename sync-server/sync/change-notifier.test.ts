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

  it("a change for one terminal reaches its streams and the store's observers, not another terminal's", () => {
    const notifier = createMemoryNotifier(() => undefined);
    const tillA = vi.fn();
    const tillB = vi.fn();
    const observer = vi.fn();
    notifier.subscribe('store-a', tillA, 'term-a');
    notifier.subscribe('store-a', tillB, 'term-b');
    notifier.subscribe('store-a', observer);

    notifier.publish('store-a', ['entitlements'], 'term-a');
    expect(tillA).toHaveBeenCalledExactlyOnceWith(['entitlements']);
    expect(tillB).not.toHaveBeenCalled();
    expect(observer).toHaveBeenCalledExactlyOnceWith(['entitlements']);

    // A change of the store (its catalogue) still reaches every terminal.
    notifier.publish('store-a', ['products']);
    expect(tillA).toHaveBeenLastCalledWith(['products']);
    expect(tillB).toHaveBeenCalledExactlyOnceWith(['products']);
  });

  it('tells only the revoked terminal, once per listener, and not after it left', () => {
    const errors: unknown[] = [];
    const notifier = createMemoryNotifier((error) => errors.push(error));
    const mine = vi.fn();
    const other = vi.fn();
    const leaving = vi.fn();
    notifier.onRevoked('term-a', () => {
      throw new Error('broken stream');
    });
    notifier.onRevoked('term-a', mine);
    notifier.onRevoked('term-b', other);
    notifier.onRevoked('term-a', leaving)();
    const change = vi.fn();
    notifier.subscribe('term-a', change);

    notifier.revoke('term-a', 'Revoked.');

    expect(mine).toHaveBeenCalledExactlyOnceWith('Revoked.');
    expect(other).not.toHaveBeenCalled();
    expect(leaving).not.toHaveBeenCalled();
    // Revocation and store changes are separate channels, even when ids look alike.
    expect(change).not.toHaveBeenCalled();
    expect(errors).toHaveLength(1);
  });
});
