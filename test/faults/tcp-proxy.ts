import net from 'node:net';

/**
 * What the proxy does to a connection. Faults act per TCP connection, so a client that opens one
 * connection per request (the simulated terminal does) gets a fault on exactly one request.
 */
export type ProxyFault =
  /** Bytes pass both ways untouched. */
  | { readonly kind: 'pass' }
  /** Every chunk, both ways, is held this long before it is passed on (order kept). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** The first `afterBytes` of the request reach the server, then both sockets are destroyed. */
  | { readonly kind: 'cut-request'; readonly afterBytes: number }
  /** The whole request reaches the server; `afterBytes` of its answer reach the client, then cut. */
  | { readonly kind: 'cut-response'; readonly afterBytes: number }
  /** The request reaches the server, its answer never reaches the client (which times out). */
  | { readonly kind: 'hold-response' }
  /** The connection is accepted and closed at once, before a byte goes anywhere. */
  | { readonly kind: 'refuse' }
  /** The connection is accepted and nothing ever comes back; nothing reaches the server. */
  | { readonly kind: 'blackhole' };

export type ProxyFaultKind = ProxyFault['kind'];

export type ProxyStats = {
  /** Connections accepted, by the fault each one got. */
  readonly connections: Record<ProxyFaultKind, number>;
  /** Connections a fault actually struck (a cut that happened, an answer that was held back). */
  readonly struck: Record<ProxyFaultKind, number>;
  bytesToServer: number;
  bytesToClient: number;
};

export type TcpProxy = {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly stats: ProxyStats;
  /** The fault for every connection no queued fault claims; default pass. */
  setDefault(fault: ProxyFault): void;
  /** The next connection (then the one after, in order) gets this fault instead of the default. */
  next(fault: ProxyFault): void;
  /** Forgets the queued faults no connection has claimed yet. */
  clearQueued(): void;
  /** Destroys every open connection now (keep-alive ones included). */
  dropAll(): void;
  close(): Promise<void>;
};

const KINDS: readonly ProxyFaultKind[] = [
  'pass',
  'delay',
  'cut-request',
  'cut-response',
  'hold-response',
  'refuse',
  'blackhole',
];

const zeroCounts = (): Record<ProxyFaultKind, number> =>
  Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<ProxyFaultKind, number>;

/**
 * Forwards `from` to `to`, letting through at most `limit` bytes (Infinity: all) after `delayMs`
 * each; calls `onLimit` once the limit is reached. Chunks are queued so a delay keeps their order.
 */
function forward(
  from: net.Socket,
  to: net.Socket,
  options: {
    readonly limit: number;
    readonly delayMs: number;
    readonly swallow: boolean;
    readonly count: (bytes: number) => void;
    readonly onLimit: () => void;
  },
): { drained(): Promise<void> } {
  let sent = 0;
  let chain = Promise.resolve();
  from.on('data', (chunk: Buffer) => {
    if (options.swallow) return;
    const room = options.limit - sent;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    sent += part.length;
    const reached = sent >= options.limit;
    const deliver = () => {
      if (!to.destroyed) {
        to.write(part);
        options.count(part.length);
      }
      if (reached) options.onLimit();
    };
    if (options.delayMs > 0) {
      chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, options.delayMs)));
      void chain.then(deliver);
    } else {
      deliver();
    }
  });
  from.on('end', () => {
    void chain.then(() => {
      if (!to.destroyed && !options.swallow) to.end();
    });
  });
  return { drained: () => chain };
}

/** A TCP proxy in front of `target` (host:port) whose behaviour each test sets (issue #6). */
export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const stats: ProxyStats = {
    connections: zeroCounts(),
    struck: zeroCounts(),
    bytesToServer: 0,
    bytesToClient: 0,
  };
  let fallback: ProxyFault = { kind: 'pass' };
  const queued: ProxyFault[] = [];
  const open = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const fault = queued.shift() ?? fallback;
    stats.connections[fault.kind] += 1;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (fault.kind === 'refuse') {
      stats.struck.refuse += 1;
      client.destroy();
      return;
    }
    if (fault.kind === 'blackhole') {
      stats.struck.blackhole += 1;
      client.resume();
      return;
    }
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    open.add(upstream);
    let toClient: { drained(): Promise<void> } | null = null;
    upstream.on('close', () => {
      open.delete(upstream);
      // A held answer leaves the client waiting for its own timeout, as a lost packet would;
      // a delayed one is delivered before the client's side closes.
      if (fault.kind !== 'hold-response') {
        void (toClient?.drained() ?? Promise.resolve()).then(() => client.destroy());
      }
    });
    upstream.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    let struck = false;
    const strike = () => {
      if (struck) return;
      struck = true;
      stats.struck[fault.kind] += 1;
      client.destroy();
      upstream.destroy();
    };
    const delayMs = fault.kind === 'delay' ? fault.ms : 0;
    if (fault.kind === 'delay') stats.struck.delay += 1;
    forward(client, upstream, {
      limit: fault.kind === 'cut-request' ? fault.afterBytes : Infinity,
      delayMs,
      swallow: false,
      count: (bytes) => (stats.bytesToServer += bytes),
      onLimit: strike,
    });
    toClient = forward(upstream, client, {
      limit: fault.kind === 'cut-response' ? fault.afterBytes : Infinity,
      delayMs,
      swallow: fault.kind === 'hold-response',
      count: (bytes) => (stats.bytesToClient += bytes),
      onLimit: strike,
    });
    if (fault.kind === 'hold-response') {
      upstream.once('data', () => {
        if (!struck) {
          struck = true;
          stats.struck['hold-response'] += 1;
        }
      });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('The proxy has no port.');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${String(port)}`,
    port,
    stats,
    setDefault(fault) {
      fallback = fault;
    },
    next(fault) {
      queued.push(fault);
    },
    clearQueued() {
      queued.length = 0;
    },
    dropAll() {
      for (const socket of open) socket.destroy();
    },
    async close() {
      queued.length = 0;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
