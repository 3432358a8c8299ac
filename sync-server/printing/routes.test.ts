import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { enrolTerminal, errorOf, syncHeaders } from '../test-support/sales.ts';
import { isPrinterAddress, resolvePrinter } from './printer-address.ts';
import { PRINT_RATE_LIMIT } from './routes.ts';

/** A stand-in thermal printer on loopback that keeps what it receives. */
async function fakePrinter() {
  const chunks: Buffer[] = [];
  const server: Server = createServer((socket) => {
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received: () => Buffer.concat(chunks),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

let t: TestApp;
let token: string;
let printer: Awaited<ReturnType<typeof fakePrinter>>;
beforeEach(async () => {
  printer = await fakePrinter();
  // PRINTER_PORTS as the operator would set it; the listener's port is random.
  t = await createTestApp({ printerPorts: [9100, printer.port] });
  token = (await enrolTerminal(t.app, await t.pairingCode())).token;
});
afterEach(async () => {
  await t.close();
  await printer.close();
});

const BYTES = Buffer.from([0x1b, 0x40, 0x48, 0x69, 0x0a, 0x1d, 0x56, 0x00]);

function print(payload: unknown, bearer: string | null = token) {
  return t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/print/escpos`,
    headers: bearer === null ? {} : syncHeaders(bearer),
    payload: payload as Record<string, unknown>,
  });
}

describe('POST /api/v1/print/escpos: refusals', () => {
  it('refuses a request without a terminal token', async () => {
    const response = await print(
      { host: '127.0.0.1', port: printer.port, bytes: BYTES.toString('base64') },
      null,
    );
    expect(response.statusCode).not.toBe(200);
    expect(printer.received()).toHaveLength(0);
  });

  it('refuses a port that is not a printer port, naming the setting', async () => {
    const response = await print({ host: '127.0.0.1', port: 22, bytes: BYTES.toString('base64') });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response)).toMatchObject({ error: 'printer_port_not_allowed' });
    expect(errorOf(response).message).toContain('PRINTER_PORTS');
  });

  it.each(['8.8.8.8', '169.254.169.254', '0.0.0.0', '224.0.0.1', '::ffff:8.8.8.8', '2001:db8::1'])(
    'refuses %s: not the shop network',
    async (host) => {
      const response = await print({ host, port: 9100, bytes: BYTES.toString('base64') });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response)).toMatchObject({ error: 'printer_not_local' });
    },
  );

  it('refuses bytes that are not base64, empty, or over 256 KiB', async () => {
    for (const bytes of ['not base64!', '', Buffer.alloc(256 * 1024 + 3).toString('base64')]) {
      const response = await print({ host: '127.0.0.1', port: printer.port, bytes });
      expect(response.statusCode, bytes.slice(0, 12)).toBe(400);
    }
    expect(printer.received()).toHaveLength(0);
  });

  it('says what to do when the printer does not answer', async () => {
    await printer.close();
    const response = await print({
      host: '127.0.0.1',
      port: printer.port,
      bytes: BYTES.toString('base64'),
    });
    expect(response.statusCode).toBe(502);
    expect(errorOf(response)).toEqual({
      error: 'printer_unreachable',
      message: `The printer at 127.0.0.1:${String(printer.port)} did not answer. Check it is on and on the network, then press Retry.`,
    });
  });

  it(`rate limits a terminal to ${String(PRINT_RATE_LIMIT)} prints a minute`, async () => {
    let last = 0;
    for (let i = 0; i <= PRINT_RATE_LIMIT; i++) {
      last = (await print({ host: '127.0.0.1', port: 22, bytes: 'AA==' })).statusCode;
    }
    expect(last).toBe(429);
  });
});

describe('POST /api/v1/print/escpos', () => {
  it('relays the bytes unchanged to a printer on loopback', async () => {
    const response = await print({
      host: '127.0.0.1',
      port: printer.port,
      bytes: BYTES.toString('base64'),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.compare(printer.received(), BYTES)).toBe(0);
  });
});

describe('the printer address policy', () => {
  it('allows loopback, RFC 1918, link-local and unique-local addresses only', () => {
    for (const ok of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.50']) {
      expect(isPrinterAddress(ok), ok).toBe(true);
    }
    for (const ok of ['169.254.10.20', '::1', 'fe80::1', 'fd12:3456::1', '::ffff:192.168.1.5']) {
      expect(isPrinterAddress(ok), ok).toBe(true);
    }
    for (const no of ['172.32.0.1', '8.8.8.8', '100.64.0.1', '169.254.169.254', 'printer', '']) {
      expect(isPrinterAddress(no), no).toBe(false);
    }
  });

  it('refuses a name that resolves to any public address, and connects to the checked one', async () => {
    const options = { allowedPorts: [9100] };
    expect(
      await resolvePrinter('printer.lan', 9100, {
        ...options,
        resolve: () => Promise.resolve(['192.168.1.50', '93.184.216.34']),
      }),
    ).toEqual({ ok: false, reason: 'not-local' });
    expect(
      await resolvePrinter('printer.lan', 9100, {
        ...options,
        resolve: () => Promise.resolve(['192.168.1.50']),
      }),
    ).toEqual({ ok: true, address: '192.168.1.50' });
    expect(
      await resolvePrinter('nowhere.lan', 9100, {
        ...options,
        resolve: () => Promise.reject(new Error('ENOTFOUND')),
      }),
    ).toEqual({ ok: false, reason: 'not-found' });
  });
});
