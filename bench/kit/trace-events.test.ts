import { describe, expect, it } from 'vitest';
import { rendererMainThreads, threadOf, type TraceEvent } from './trace-events.ts';

const event = (fields: Partial<TraceEvent>): TraceEvent => ({
  name: 'x',
  ph: 'X',
  pid: 1,
  tid: 1,
  ts: 0,
  ...fields,
});

describe('trace events', () => {
  it('finds the renderers’ main threads from their metadata, not other threads', () => {
    const events = [
      event({ ph: 'M', pid: 7, tid: 3, name: 'thread_name', args: { name: 'CrRendererMain' } }),
      event({ ph: 'M', pid: 7, tid: 4, name: 'thread_name', args: { name: 'Compositor' } }),
      event({ ph: 'X', pid: 9, tid: 3, args: { name: 'CrRendererMain' } }),
    ];
    expect([...rendererMainThreads(events)]).toEqual(['7:3']);
    expect(threadOf(events[1] ?? event({}))).toBe('7:4');
  });
});
