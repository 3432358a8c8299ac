import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { StreamChange, SyncedCollection } from '../../shared/schemas/protocol.ts';
import { requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { changeBatcher } from './change-batcher.ts';

/** Change notices to one stream closer together than this are merged (change-batcher.ts). */
export const STREAM_MERGE_WINDOW_MS = 100;

/**
 * Server-sent events telling a terminal when to pull, or that it was revoked. The stream carries no data, only "pull
 * now": a missed event costs one pull later, never a lost change, because pulls use the seq.
 * Every open stream is ended when the app closes, or `close()` would wait for them forever.
 */
export function streamRoutes(app: FastifyInstance, ctx: AppContext): void {
  const open = new Set<() => void>();

  app.addHook('preClose', (done) => {
    for (const close of [...open]) close();
    done();
  });

  app.get('/stream', (request, reply) => {
    const terminal = requireTerminal(request);
    // Headers set by earlier hooks (CORS) live on the fastify reply, which hijack() bypasses.
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    const send = (text: string): void => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    send('event: ready\ndata: {}\n\n');

    const changes = changeBatcher<SyncedCollection>(STREAM_MERGE_WINDOW_MS, (collections) => {
      const change: StreamChange = { collections: [...collections] };
      send(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
    });
    // This terminal's stream: the store's changes, and the statuses of its own codes only.
    const unsubscribe = ctx.notifier.subscribe(
      terminal.storeId,
      (collections) => {
        changes.add(collections);
      },
      terminal.id,
    );
    // Revoked while connected: say why, then hang up; the auth hook refuses the reconnect.
    const stopRevoked = ctx.notifier.onRevoked(terminal.id, (message) => {
      send(`event: revoked\ndata: ${JSON.stringify({ message })}\n\n`);
      close();
    });
    const heartbeat = setInterval(() => {
      send(': ping\n\n');
    }, ctx.heartbeatMs);

    const close = (): void => {
      if (!open.delete(close)) return;
      clearInterval(heartbeat);
      unsubscribe();
      changes.stop();
      stopRevoked();
      if (!res.writableEnded) res.end();
    };
    open.add(close);
    // 'close' on the response fires when the client goes away or we end it ourselves.
    res.on('close', close);
  });
}
