export type ServerSentEvent = { readonly event: string; readonly data: string };

/**
 * Reads a text/event-stream body. EventSource cannot send an Authorization header, so the POS
 * streams with fetch and parses the events itself (https://html.spec.whatwg.org/#event-stream-interpretation).
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  onChunk: () => void = () => undefined,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  // Aborting the fetch does not always end a read already waiting on the body (Node's fetch
  // keeps it pending when the abort comes just after the last bytes), so cancel the reader too:
  // a pending read then resolves as done and the caller can stop.
  const cancel = () => void reader.cancel().catch(() => undefined);
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    await readEvents(reader, onEvent, onChunk);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

async function readEvents(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  onChunk: () => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onChunk();
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.search(/\r?\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        if (data.length > 0) onEvent({ event, data: data.join('\n') });
        event = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = fieldValue;
        if (field === 'data') data.push(fieldValue);
      }
      newline = buffer.search(/\r?\n/);
    }
  }
}
