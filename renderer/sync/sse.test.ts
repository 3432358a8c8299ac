import { describe, expect, it } from 'vitest';
import type { ServerSentEvent } from './sse.ts';
import { readEventStream } from './sse.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('event stream reader', () => {
  it('parses named events split across chunks, ignoring comments', async () => {
    const events: ServerSentEvent[] = [];
    await readEventStream(
      streamOf([
        'event: ready\ndata: {}\n\n: ping\n\nevent: cha',
        'nge\ndata: {"collections":',
        '["entitlements"]}\r\n\r\n',
      ]),
      (event) => events.push(event),
    );
    expect(events).toEqual([
      { event: 'ready', data: '{}' },
      { event: 'change', data: '{"collections":["entitlements"]}' },
    ]);
  });

  it('joins multi-line data and defaults the event name', async () => {
    const events: ServerSentEvent[] = [];
    await readEventStream(streamOf(['data: a\ndata: b\n\n']), (event) => events.push(event));
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('stops waiting on a stream that never ends once the signal aborts', async () => {
    const encoder = new TextEncoder();
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('event: revoked\ndata: {}\n\n'));
        // never closed: a read after the first chunk waits for ever unless cancelled
      },
    });
    const abort = new AbortController();
    const events: ServerSentEvent[] = [];
    await readEventStream(
      open,
      (event) => {
        events.push(event);
        abort.abort();
      },
      undefined,
      abort.signal,
    );
    expect(events).toEqual([{ event: 'revoked', data: '{}' }]);
  });
});
