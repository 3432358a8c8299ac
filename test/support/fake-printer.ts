import { createServer, type Server } from 'node:net';

/** A stand-in network thermal printer: a TCP listener that keeps each job (one per connection). */
export class FakePrinter {
  readonly jobs: Buffer[] = [];
  private server: Server | null = null;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => {
        this.jobs.push(Buffer.concat(chunks));
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** ESC/POS: GS V 0 cuts the paper; ESC p 0 pulses the cash drawer. */
export const CUT = Buffer.from([0x1d, 0x56, 0x00]);
export const PULSE = Buffer.from([0x1b, 0x70, 0x00]);
