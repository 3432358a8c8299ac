import { Socket } from 'node:net';
import type { EscPosPrintRequest, PrintResult } from './bridge-contract.ts';

/** A printer on the shop's network answers at once; waiting longer only keeps the cashier waiting. */
export const CONNECT_TIMEOUT_MS = 4000;
/** Writing a receipt of a few KiB to a printer that accepted the connection. */
export const WRITE_TIMEOUT_MS = 10_000;

export type SocketFactory = () => Pick<
  Socket,
  'connect' | 'write' | 'end' | 'destroy' | 'setTimeout' | 'once' | 'on'
>;

function where(request: Pick<EscPosPrintRequest, 'host' | 'port'>): string {
  const host = request.host.includes(':') ? `[${request.host}]` : request.host;
  return `${host}:${String(request.port)}`;
}

/** What the cashier reads when the printer cannot be reached: what to check, then Retry. */
export function printerUnreachableMessage(request: Pick<EscPosPrintRequest, 'host' | 'port'>) {
  return `The printer at ${where(request)} did not answer. Check it is on and on the network, then press Retry.`;
}

/**
 * Sends raw ESC/POS bytes to a network thermal printer (the "RAW" / JetDirect port, usually 9100):
 * connect, write, end. The printer prints what it received; it sends nothing back, so a clean
 * close after the write is success. Works offline: the printer is on the shop's own network.
 */
export function sendEscPos(
  request: EscPosPrintRequest,
  options: { connectTimeoutMs?: number; writeTimeoutMs?: number; socket?: SocketFactory } = {},
): Promise<PrintResult> {
  const socket = (options.socket ?? (() => new Socket()))();
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (result: PrintResult): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    const unreachable = (): void => {
      finish({ ok: false, message: printerUnreachableMessage(request) });
    };
    socket.setTimeout(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    socket.once('timeout', () => {
      if (connected) {
        finish({
          ok: false,
          message: `The printer at ${where(request)} stopped taking the receipt. Check its paper and cover, then press Retry.`,
        });
      } else unreachable();
    });
    socket.once('error', () => {
      if (connected) {
        finish({
          ok: false,
          message: `The connection to the printer at ${where(request)} broke while printing. Check the receipt, then press Retry.`,
        });
      } else unreachable();
    });
    socket.connect(request.port, request.host, () => {
      connected = true;
      socket.setTimeout(options.writeTimeoutMs ?? WRITE_TIMEOUT_MS);
      socket.write(request.bytes, () => {
        socket.end(() => {
          finish({ ok: true });
        });
      });
    });
  });
}
