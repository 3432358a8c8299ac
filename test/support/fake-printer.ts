import { createServer, type AddressInfo, type Server } from 'node:net';
import { test } from '@playwright/test';

/**
 * A stand-in network thermal printer: a TCP listener that keeps each job (one per connection).
 * Without a port it takes a free one at its first start and keeps it across stop and start.
 */
export class FakePrinter {
  readonly jobs: Buffer[] = [];
  private server: Server | null = null;
  constructor(private listenPort = 0) {}

  get port(): number {
    if (this.listenPort === 0) throw new Error('The fake printer has not started yet.');
    return this.listenPort;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => {
        this.jobs.push(Buffer.concat(chunks));
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.listenPort, '127.0.0.1', resolve));
    this.listenPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * A FakePrinter listening for the whole spec file. Call it before useCounterServer: hooks run in
 * the order they are declared, so the listener (and its port) exist before the server starts.
 */
export function useFakePrinter(): FakePrinter {
  const printer = new FakePrinter();
  test.beforeAll(() => printer.start());
  test.afterAll(() => printer.stop());
  return printer;
}

/** ESC/POS: GS V 0 cuts the paper; ESC p 0 pulses the cash drawer. */
export const CUT = Buffer.from([0x1d, 0x56, 0x00]);
export const PULSE = Buffer.from([0x1b, 0x70, 0x00]);
