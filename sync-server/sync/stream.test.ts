import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import { revokeTerminal, revokeTerminalNow } from '../auth/revoke.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { createMemoryNotifier, type ChangeNotifier } from './change-notifier.ts';
import {
  enrolTerminal,
  errorOf,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../test-support/sales.ts';

let t: TestApp;
let till: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true, heartbeatMs: 100 });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
});
afterEach(async () => {
  await t.close();
});

const STREAM = `${API_PREFIX}/sync/stream`;
const ctxOf = (app: TestApp) => ({ db: app.db, clock: app.clock.now, notifier: app.notifier });

/** Reads server-sent events off a real HTTP response, one chunk at a time. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next event or comment block, e.g. "event: ready\ndata: {}" or ": ping"; null at the end. */
    async next(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return block;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function listen(): Promise<string> {
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

describe('GET /api/v1/sync/stream', () => {
  it('refuses no token, a wrong token, a revoked terminal and an old POS', async () => {
    const noToken = await t.app.inject({
      url: STREAM,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(errorOf(noToken).error).toBe('unauthorized');
    const wrong = await t.app.inject({ url: STREAM, headers: syncHeaders('s'.repeat(43)) });
    expect(wrong.statusCode).toBe(401);
    const old = await t.app.inject({
      url: STREAM,
      headers: { authorization: `Bearer ${till.token}` },
    });
    expect(old.statusCode).toBe(426);
    await revokeTerminal(t.db, till.terminalId, t.clock.now);
    const revoked = await t.app.inject({ url: STREAM, headers: syncHeaders(till.token) });
    expect(errorOf(revoked).error).toBe('terminal_revoked');
  });

  it('sends ready, then a change after a push to its store (not to another), and pings', async () => {
    const base = await listen();
    const other = await t.addStore('Other Shop');
    const otherTill = await enrolTerminal(t.app, await t.pairingCode(other.id));
    const response = await fetch(base + STREAM, {
      headers: { ...syncHeaders(till.token), origin: 'http://localhost:5174' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toMatch(/no-cache/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    if (!response.body) throw new Error('no body');
    const events = eventReader(response.body);
    expect(await events.next()).toBe('event: ready\ndata: {}');

    // Another store's sale must not wake this terminal; its own sale must.
    expect(
      (await pushSales(t.app, otherTill.token, [await saleMaker(otherTill)()])).statusCode,
    ).toBe(200);
    expect((await pushSales(t.app, till.token, [await saleMaker(till)()])).statusCode).toBe(200);
    const seen: string[] = [];
    for (let next = await events.next(); next !== null; next = await events.next()) {
      seen.push(next);
      if (next === ': ping' && seen.some((block) => block.startsWith('event: change'))) break;
    }
    expect(seen.filter((block) => block !== ': ping')).toEqual([
      'event: change\ndata: {"collections":["entitlements"]}',
    ]);
    expect(seen.at(-1)).toBe(': ping');
    await events.cancel();
  });

  it('unsubscribes a stream when its client goes away', async () => {
    await t.close();
    const inner = createMemoryNotifier((error) => {
      throw error;
    });
    let subscribed = 0;
    const counting: ChangeNotifier = {
      ...inner,
      publish: (storeId, collections) => {
        inner.publish(storeId, collections);
      },
      subscribe: (storeId, listener) => {
        subscribed += 1;
        const unsubscribe = inner.subscribe(storeId, listener);
        return () => {
          subscribed -= 1;
          unsubscribe();
        };
      },
    };
    t = await createTestApp({ demo: true, notifier: counting });
    till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
    const base = await listen();
    const response = await fetch(base + STREAM, { headers: syncHeaders(till.token) });
    if (!response.body) throw new Error('no body');
    const events = eventReader(response.body);
    expect(await events.next()).toBe('event: ready\ndata: {}');
    expect(subscribed).toBe(1);
    await events.cancel();
    for (let i = 0; i < 50 && subscribed > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(subscribed).toBe(0);
  });

  it('ends open streams when the app closes, so shutdown never hangs', async () => {
    const base = await listen();
    const response = await fetch(base + STREAM, { headers: syncHeaders(till.token) });
    if (!response.body) throw new Error('no body');
    const events = eventReader(response.body);
    expect(await events.next()).toBe('event: ready\ndata: {}');
    await t.app.close();
    let next = await events.next();
    while (next === ': ping') next = await events.next();
    expect(next).toBeNull();
  });

  it('a terminal revoked while connected is told why at once, and its stream ends', async () => {
    const other = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const base = await listen();
    const open = async (token: string) => {
      const response = await fetch(base + STREAM, { headers: syncHeaders(token) });
      if (!response.body) throw new Error('no body');
      const events = eventReader(response.body);
      expect(await events.next()).toBe('event: ready\ndata: {}');
      return events;
    };
    const revokedStream = await open(till.token);
    const otherStream = await open(other.token);

    expect(await revokeTerminalNow(ctxOf(t), till.terminalId)).toBe(true);
    expect(await revokedStream.next()).toBe(
      'event: revoked\ndata: {"message":"This terminal was revoked by a manager. Ask a manager to enrol it again."}',
    );
    expect(await revokedStream.next()).toBeNull();

    // Only that terminal: the other till of the same store still hears changes.
    t.notifier.publish('demo-store', ['staff']);
    let next = await otherStream.next();
    while (next === ': ping') next = await otherStream.next();
    expect(next).toBe('event: change\ndata: {"collections":["staff"]}');
    await otherStream.cancel();

    // And the reconnect is refused, as is every request after.
    const again = await fetch(base + STREAM, { headers: syncHeaders(till.token) });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('terminal_revoked');
    // Revoking again changes nothing but still signals (no stream is left to tell).
    expect(await revokeTerminalNow(ctxOf(t), till.terminalId)).toBe(false);
  });
});
