import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Subject } from 'rxjs';
import { afterNextPaint, runAfterNextPaint } from './after-paint.ts';

describe('afterNextPaint', () => {
  let frames: (() => void)[];
  beforeEach(() => {
    vi.useFakeTimers();
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => {
      frames[id - 1] = () => undefined;
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('subscribes in the task after the next frame, not before', () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    afterNextPaint(source).subscribe((value) => seen.push(value));
    expect(source.observed).toBe(false);
    for (const frame of frames) frame();
    expect(source.observed).toBe(false); // the frame is not painted yet
    vi.advanceTimersByTime(0);
    expect(source.observed).toBe(true);
    source.next(1);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1000); // the fallback does not subscribe twice
    source.next(2);
    expect(seen).toEqual([1, 2]);
  });

  it('subscribes anyway when no frame comes (a hidden window)', () => {
    const source = new Subject<number>();
    afterNextPaint(source).subscribe();
    vi.advanceTimersByTime(99);
    expect(source.observed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(source.observed).toBe(true);
  });

  it('never subscribes once unsubscribed before the paint', () => {
    const source = new Subject<number>();
    afterNextPaint(source).subscribe().unsubscribe();
    for (const frame of frames) frame();
    vi.advanceTimersByTime(1000);
    expect(source.observed).toBe(false);
  });
});

describe('runAfterNextPaint', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, 16));
    vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => {
      clearTimeout(id);
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs once, in the task after the frame', () => {
    const ran = vi.fn();
    runAfterNextPaint(ran);
    vi.advanceTimersByTime(15);
    expect(ran).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2); // the frame at 16 ms, then the task it queued
    expect(ran).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled', () => {
    const ran = vi.fn();
    runAfterNextPaint(ran)();
    vi.advanceTimersByTime(1000);
    expect(ran).not.toHaveBeenCalled();
  });
});
