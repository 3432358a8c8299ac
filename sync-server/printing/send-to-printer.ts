import { Socket } from 'node:net';

const CONNECT_TIMEOUT_MS = 4000;
const WRITE_TIMEOUT_MS = 10_000;

/**
 * Connect, write, end: what a thermal printer on port 9100 expects. Resolves true once the bytes
 * are handed over and the connection closed cleanly, false if the printer could not be reached
 * or stopped taking them. The address is an IP already checked by resolvePrinter.
 */
export function sendToPrinter(address: string, port: number, bytes: Uint8Array): Promise<boolean> {
  const socket = new Socket();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS);
    socket.once('timeout', () => {
      finish(false);
    });
    socket.once('error', () => {
      finish(false);
    });
    socket.connect(port, address, () => {
      socket.setTimeout(WRITE_TIMEOUT_MS);
      socket.write(bytes, () => {
        socket.end(() => {
          finish(true);
        });
      });
    });
  });
}
