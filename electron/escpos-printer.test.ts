import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReceiptEscPos } from '../shared/receipt/escpos.ts';
import { sampleSale } from '../shared/receipt/receipt-fixtures.test-support.ts';
import { buildReceipt } from '../shared/receipt/receipt-model.ts';
import { EscPosPrintRequestSchema } from './bridge-schemas.ts';
import { BRIDGE_CHANNELS, type EscPosPrintRequest } from './bridge-contract.ts';
import { sendEscPos, type SocketFactory } from './escpos-printer.ts';
import { registerBridgeHandlers, type BridgeHandlers, type InvokeEvent } from './ipc.ts';

/** A stand-in thermal printer: a TCP listener on loopback that keeps every byte it is sent. */
async function fakePrinter(): Promise<{
  port: number;
  received: () => Promise<Buffer>;
  server: Server;
}> {
  const chunks: Buffer[] = [];
  let closed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((socket) => {
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      socket.end();
      closed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server, received: () => done.then(() => Buffer.concat(chunks)) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const GS_QR = Buffer.from([0x1d, 0x28, 0x6b]);
/** GS ( k pL pH 49 80 48 <data>: store the QR symbol's data. */
function qrStoreCommand(url: string): Buffer {
  const length = url.length + 3;
  return Buffer.concat([
    GS_QR,
    Buffer.from([length % 256, Math.floor(length / 256), 0x31, 0x50, 0x30]),
    Buffer.from(url, 'latin1'),
  ]);
}
const QR_PRINT = Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
const CUT = Buffer.from([0x1d, 0x56, 0x00]);
const PULSE = Buffer.from([0x1b, 0x70, 0x00]);

const receipt = buildReceipt({
  sale: sampleSale(),
  store: { name: 'Corner Shop' },
  terminalName: 'Till 1',
  redeemBaseUrl: 'https://shop.example/redeem',
  templates: new Map(),
});

describe('the bridge refuses bad print requests before any socket opens', () => {
  const bytes = new Uint8Array([0x1b, 0x40]);
  it.each([
    ['a URL as host', { host: 'http://10.0.0.1', port: 9100, bytes }],
    ['a host with a port', { host: '10.0.0.1:9100', port: 9100, bytes }],
    ['port 0', { host: '10.0.0.1', port: 0, bytes }],
    ['port 70000', { host: '10.0.0.1', port: 70_000, bytes }],
    ['bytes as a plain array', { host: '10.0.0.1', port: 9100, bytes: [0x1b] }],
    ['no bytes', { host: '10.0.0.1', port: 9100, bytes: new Uint8Array() }],
    ['more than 256 KiB', { host: '10.0.0.1', port: 9100, bytes: new Uint8Array(256 * 1024 + 1) }],
  ])('%s', (_name, request) => {
    expect(EscPosPrintRequestSchema.safeParse(request).success).toBe(false);
  });

  it('accepts an IP address or a host name', () => {
    for (const host of ['192.168.1.50', 'printer.local', 'fe80::1']) {
      expect(EscPosPrintRequestSchema.safeParse({ host, port: 9100, bytes }).success).toBe(true);
    }
  });
});

describe('sendEscPos to a TCP listener', () => {
  it('says what to check when nothing listens, naming the printer', async () => {
    const printer = await fakePrinter();
    const port = printer.port;
    await new Promise((resolve) => printer.server.close(resolve));
    const result = await sendEscPos({ host: '127.0.0.1', port, bytes: new Uint8Array([1]) });
    expect(result).toEqual({
      ok: false,
      message: `The printer at 127.0.0.1:${String(port)} did not answer. Check it is on and on the network, then press Retry.`,
    });
  });

  it('gives up on a connect that hangs after the timeout', async () => {
    const started = Date.now();
    // 192.0.2.0/24 is TEST-NET-1; the injected socket never connects, so nothing leaves the host.
    const result = await sendEscPos(
      { host: '192.0.2.1', port: 9100, bytes: new Uint8Array([1]) },
      { connectTimeoutMs: 50, socket: () => hangingSocket() },
    );
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('delivers the receipt: its text, a QR command per code with its URL, the cut and the drawer kick', async () => {
    const printer = await fakePrinter();
    servers.push(printer.server);
    const bytes = encodeReceiptEscPos(receipt, {
      openDrawer: true,
      formatInstant: () => '26 Nov 2026, 10:00',
    });
    const result = await sendEscPos({ host: '127.0.0.1', port: printer.port, bytes });
    expect(result).toEqual({ ok: true });
    const received = await printer.received();
    expect(Buffer.compare(received, Buffer.from(bytes))).toBe(0);

    const text = received.toString('latin1');
    expect(text).toContain('Corner Shop');
    expect(text).toContain('Receipt AB12-000042');
    expect(text).toContain('Spa voucher');
    expect(text).toContain('85.36');
    expect(text).not.toContain('?85.36');
    expect(text).toContain('VAT 20% incl.');
    for (const code of receipt.codes) {
      expect(text).toContain(code.formatted);
      const store = qrStoreCommand(code.url);
      expect(received.includes(store)).toBe(true);
    }
    expect(countOf(received, QR_PRINT)).toBe(receipt.codes.length);
    expect(received.includes(PULSE)).toBe(true);
    // The cut comes last: the drawer opens while the receipt is still being torn off.
    expect(received.lastIndexOf(CUT)).toBeGreaterThan(received.lastIndexOf(PULSE));
  });

  it('a reprint or a card sale does not open the drawer', () => {
    const bytes = Buffer.from(encodeReceiptEscPos(receipt, { openDrawer: false }));
    expect(bytes.includes(PULSE)).toBe(false);
    expect(bytes.includes(CUT)).toBe(true);
  });
});

function countOf(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/** A socket whose connect never completes: what a switched-off printer on the LAN looks like. */
function hangingSocket(): ReturnType<SocketFactory> {
  const listeners = new Map<string, () => void>();
  let timeout = 0;
  const socket = {
    connect: () => {
      setTimeout(() => listeners.get('timeout')?.(), timeout);
      return socket;
    },
    write: () => true,
    end: () => socket,
    destroy: () => socket,
    setTimeout: (ms: number) => {
      timeout = ms;
      return socket;
    },
    once: (event: string, listener: () => void) => {
      listeners.set(event, listener);
      return socket;
    },
    on: () => socket,
  };
  return socket as unknown as ReturnType<SocketFactory>;
}

describe('the printEscPos channel in main', () => {
  type Listener = (event: InvokeEvent<object>, ...args: unknown[]) => Promise<unknown>;
  function wire() {
    const listeners = new Map<string, Listener>();
    const sent: EscPosPrintRequest[] = [];
    const unused = () => Promise.reject(new Error('not used'));
    // Every other method refuses: only printEscPos may be reached by these calls.
    const handlers = {
      ...Object.fromEntries(Object.keys(BRIDGE_CHANNELS).map((method) => [method, unused])),
      printEscPos: (request: EscPosPrintRequest) => {
        sent.push(request);
        return Promise.resolve({ ok: true });
      },
    } as unknown as BridgeHandlers<object>;
    registerBridgeHandlers<object>(
      { handle: (channel, listener) => listeners.set(channel, listener) },
      handlers,
      (event) => event.senderFrame?.url.startsWith('app://pos/') === true,
    );
    const invoke = (args: unknown[], url = 'app://pos/index.html') =>
      listeners.get(BRIDGE_CHANNELS.printEscPos)!({ sender: {}, senderFrame: { url } }, ...args);
    return { invoke, sent };
  }
  const bytes = new Uint8Array([0x1b, 0x40]);

  it('refuses a foreign frame, a bad address and extra arguments before any socket', async () => {
    const { invoke, sent } = wire();
    await expect(
      invoke([{ host: '10.0.0.9', port: 9100, bytes }], 'https://evil.test/'),
    ).rejects.toThrow(/did not come from the Entitle app/);
    await expect(invoke([{ host: '10.0.0.9/x', port: 9100, bytes }])).rejects.toThrow(/host/);
    await expect(invoke([{ host: '10.0.0.9', port: 9100, bytes }, 'extra'])).rejects.toThrow(
      /exactly one argument/,
    );
    expect(sent).toEqual([]);
  });

  it('hands a valid request to the sender', async () => {
    const { invoke, sent } = wire();
    await expect(invoke([{ host: 'printer.local', port: 9100, bytes }])).resolves.toEqual({
      ok: true,
    });
    expect(sent).toEqual([{ host: 'printer.local', port: 9100, bytes }]);
  });
});
